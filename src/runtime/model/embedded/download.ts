// Downloads a model file: into `<file>.part`, resumed with an HTTP Range request where it stopped, progress with
// speed and ETA, the SHA-256 checked before the file takes its name (a mismatch deletes it and says so).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AbortedError, ReinError } from '../../base/index.ts';
import type { PullProgress } from '../types.ts';

export class ModelDownloadError extends ReinError {}

export interface DownloadRequest {
  url: string;
  target: string;
  sha256?: string;
  sizeBytes?: number;
  onProgress: (progress: PullProgress) => void;
  signal?: AbortSignal;
}

const PROGRESS_EVERY_MS = 250;
const SPEED_WINDOW_MS = 5_000;

export async function downloadModel(request: DownloadRequest): Promise<void> {
  const { target, onProgress, signal } = request;
  const part = `${target}.part`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const release = lock(target);
  try {
    let offset = fileSize(part);
    if (request.sizeBytes === undefined || offset < request.sizeBytes) offset = await fetchInto(request, part, offset);
    if (request.sizeBytes !== undefined && offset !== request.sizeBytes) {
      if (offset > request.sizeBytes) fs.rmSync(part, { force: true });
      throw new ModelDownloadError(`${request.url} gave ${offset} bytes, ${request.sizeBytes} were expected${offset > request.sizeBytes ? ' — the download was deleted; run the pull again' : ' — run the pull again: it resumes'}`);
    }
    if (request.sha256) {
      onProgress({ status: 'verifying sha256 digest', completed: offset, total: offset });
      const actual = await sha256Of(part, signal);
      if (actual !== request.sha256.toLowerCase()) {
        fs.rmSync(part, { force: true });
        throw new ModelDownloadError(`the download of ${path.basename(target)} is corrupt: its SHA-256 is ${actual}, ${request.sha256} was expected — the file was deleted; run the pull again`);
      }
    }
    fs.renameSync(part, target);
    onProgress({ status: 'success', completed: offset, total: offset });
  } finally {
    release();
  }
}

/** Appends the rest of the file to `part` from `offset`; returns the part's size when the body ended. */
async function fetchInto(request: DownloadRequest, part: string, offset: number): Promise<number> {
  const { url, signal, onProgress } = request;
  let response: Response;
  try {
    response = await fetch(url, { headers: offset > 0 ? { range: `bytes=${offset}-` } : {}, redirect: 'follow', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw new ModelDownloadError(`cannot download ${url}: ${causeOf(error)} — check the connection and run the pull again${offset ? ' (it resumes)' : ''}`, { cause: error });
  }
  if (response.status === 416 && offset > 0) return offset; // nothing left to fetch: the part is complete
  if (!response.ok) {
    const hint = response.status === 404 ? ' (no such file: check the name)' : response.status === 401 || response.status === 403 ? ' (the server refused: the model may need a sign-in or licence acceptance on its page)' : '';
    throw new ModelDownloadError(`cannot download ${url}: HTTP ${response.status}${hint}`);
  }
  // 206: the rest from `offset`; 200: the server sent the whole file (no Range support) — start over.
  const resumed = response.status === 206 && offset > 0;
  if (!resumed) offset = 0;
  const length = Number(response.headers.get('content-length')) || undefined;
  const rangeTotal = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]) || undefined;
  const total = request.sizeBytes ?? rangeTotal ?? (length !== undefined ? offset + length : undefined);
  const out = fs.createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  const meter = new SpeedMeter(offset);
  let completed = offset;
  let lastReport = 0;
  onProgress({ status: resumed ? `resuming at ${formatBytes(offset)}` : 'downloading', completed, ...(total ? { total } : {}) });
  try {
    for await (const chunk of Readable.fromWeb(response.body! as WebReadableStream<Uint8Array>)) {
      const buffer = chunk as Buffer;
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      completed += buffer.length;
      const now = performance.now();
      if (now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        onProgress(progressOf(completed, total, meter.speed(completed, now)));
      }
    }
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw new ModelDownloadError(`the download of ${url} was cut after ${formatBytes(completed)}: ${causeOf(error)} — run the pull again: it resumes`, { cause: error });
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  if (signal?.aborted) throw abortError(signal);
  onProgress(progressOf(completed, total, meter.speed(completed, performance.now())));
  return fileSize(part);
}

function progressOf(completed: number, total: number | undefined, bytesPerSecond: number): PullProgress {
  const etaSeconds = total && bytesPerSecond > 0 ? Math.max(0, Math.round((total - completed) / bytesPerSecond)) : undefined;
  return {
    status: `downloading ${formatBytes(completed)}${total ? ` of ${formatBytes(total)}` : ''}, ${formatBytes(bytesPerSecond)}/s${etaSeconds !== undefined ? `, ${formatEta(etaSeconds)} left` : ''}`,
    completed,
    ...(total ? { total } : {}),
    bytesPerSecond: Math.round(bytesPerSecond),
    ...(etaSeconds !== undefined ? { etaSeconds } : {}),
  };
}

/** Bytes per second over the last few seconds. */
class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[];
  constructor(start: number) {
    this.samples = [{ at: performance.now(), bytes: start }];
  }
  speed(bytes: number, at: number): number {
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > SPEED_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds > 0 ? (bytes - first.bytes) / seconds : 0;
  }
}

async function sha256Of(file: string, signal?: AbortSignal): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    if (signal?.aborted) throw abortError(signal);
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** One download of a file at a time, across processes (the CLI and the host may both try). */
function lock(target: string): () => void {
  const file = `${target}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && alive(owner)) throw new ModelDownloadError(`${path.basename(target)} is already being downloaded (process ${owner})`);
      fs.rmSync(file, { force: true }); // left by a process that is gone
    }
  }
  throw new ModelDownloadError(`cannot lock ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new AbortedError('download cancelled');
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatEta(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
