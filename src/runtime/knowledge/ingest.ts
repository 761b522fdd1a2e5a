// Ingestion of a source: scan, then per file — skip what did not change (size+mtime, then content hash), parse,
// chunk, store (unchanged passages keep their vectors), embed new passages. Every file ends indexed, skipped or
// failed with a reason; nothing else is lost. A file is marked pending before it is parsed, so an interrupted
// ingestion simply continues on the next scan. Files are opened through openGranted (no symlink out of the
// source) and parsed in parser processes (parse/parser.ts); a file that failed is not read again until its size,
// time or content changes (or `reindex`), so a hostile document costs its limits once.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { errorMessage } from '../base/index.ts';
import type { KnowledgeConfig } from '../config/index.ts';
import { NotGrantedError, openGranted, type GrantedFile } from './granted-file.ts';
import { UnreadableFileError } from './parse/blocks.ts';
import { formatOf } from './parse/formats.ts';
import type { DocumentParser } from './parse/parser.ts';
import { scanSource, sourceFilter } from './scan.ts';
import type { Vectors } from './vectors.ts';
import type { KnowledgeProgressEvent } from '../../common/index.ts';
import type { KnowledgeFile, KnowledgeSource, KnowledgeStore } from './types.ts';

const MB = 1024 * 1024;
/** Errors kept in a progress report (the per-file status keeps all of them). */
const REPORTED_ERRORS = 20;

/** One source's ingestion progress: the `knowledge.progress` event without its type and time. */
export type IngestProgress = Omit<KnowledgeProgressEvent, 'type' | 'time'>;

export type FileOutcome = { state: 'indexed'; chunks: number; embedded: number; unchanged: boolean } | { state: 'skipped' | 'failed'; reason: string } | { state: 'removed' };

export class Ingester {
  private readonly store: KnowledgeStore;
  private readonly vectors: Vectors;
  private readonly config: () => KnowledgeConfig;
  private readonly parser: DocumentParser;

  constructor(store: KnowledgeStore, vectors: Vectors, config: () => KnowledgeConfig, parser: DocumentParser) {
    this.store = store;
    this.vectors = vectors;
    this.config = config;
    this.parser = parser;
  }

  /** Brings the whole source up to date (also drops files that are gone). `force`: re-read every file. */
  async ingestSource(source: KnowledgeSource, onProgress: (p: IngestProgress) => void, options: { force?: boolean; signal?: AbortSignal } = {}): Promise<IngestProgress> {
    const config = this.config();
    const progress: IngestProgress = { sourceId: source.id, path: source.path, state: 'running', done: 0, total: 0, indexed: 0, skipped: 0, failed: 0, errors: [] };
    const known = new Map((await this.store.listFiles(source.id)).map((f) => [f.path, f]));
    let files: string[];
    try {
      const scan = await scanSource(source, sourceFilter(source, config.include, config.exclude), config.symlinks);
      files = scan.files;
      for (const entry of scan.skipped) note(progress, entry.path, entry.reason);
    } catch (error) {
      note(progress, source.path, `cannot read the source: ${codeOrMessage(error)}`);
      progress.failed++;
      return this.finish(progress, onProgress);
    }
    progress.total = files.length;
    onProgress({ ...progress });
    for (const file of files) {
      if (options.signal?.aborted) break;
      progress.current = file;
      const outcome = await this.ingestFile(source, file, known.get(file), options.force, options.signal);
      known.delete(file);
      this.count(progress, file, outcome);
      progress.done++;
      onProgress({ ...progress, errors: [...progress.errors] });
    }
    if (!options.signal?.aborted) for (const gone of known.values()) await this.store.removeFile(gone.id);
    return this.finish(progress, onProgress);
  }

  /** Re-indexes the given paths of a source (watcher events): changed files are read again, deleted ones dropped. */
  async ingestPaths(source: KnowledgeSource, changed: string[], onProgress: (p: IngestProgress) => void, signal?: AbortSignal): Promise<IngestProgress> {
    const config = this.config();
    // A removed folder (trailing separator) stands for every file known under it.
    const folders = changed.filter((p) => p.endsWith(path.sep));
    const under = folders.length ? (await this.store.listFiles(source.id)).filter((f) => folders.some((d) => f.path.startsWith(d))).map((f) => f.path) : [];
    const paths = [...new Set([...changed.filter((p) => !p.endsWith(path.sep)), ...under])];
    const filter = sourceFilter(source, config.include, config.exclude);
    const progress: IngestProgress = { sourceId: source.id, path: source.path, state: 'running', done: 0, total: paths.length, indexed: 0, skipped: 0, failed: 0, errors: [] };
    for (const file of paths) {
      if (signal?.aborted) break;
      progress.current = file;
      const known = await this.store.getFile(source.id, file);
      const outcome = filter.accept(file) ? await this.ingestFile(source, file, known, false, signal) : known ? await this.drop(known) : undefined;
      if (outcome) this.count(progress, file, outcome);
      progress.done++;
      onProgress({ ...progress, errors: [...progress.errors] });
    }
    return this.finish(progress, onProgress);
  }

  async ingestFile(source: KnowledgeSource, file: string, known: KnowledgeFile | undefined, force = false, signal?: AbortSignal): Promise<FileOutcome> {
    const config = this.config();
    let opened: GrantedFile;
    try {
      opened = await openGranted(file, source, config.symlinks);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return known ? this.drop(known) : { state: 'removed' };
      if (error instanceof NotGrantedError) return this.record(source, file, { size: 0, mtimeMs: 0 }, 'skipped', error.message);
      return this.record(source, file, { size: 0, mtimeMs: 0 }, 'failed', code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot read: ${codeOrMessage(error)}`);
    }
    try {
      return await this.ingestOpened(source, file, opened, known, force, signal);
    } finally {
      await opened.close();
    }
  }

  private async ingestOpened(source: KnowledgeSource, file: string, opened: GrantedFile, known: KnowledgeFile | undefined, force: boolean, signal?: AbortSignal): Promise<FileOutcome> {
    const config = this.config();
    const meta = { size: opened.size, mtimeMs: opened.mtimeMs };
    if (!force && known && known.state !== 'pending' && known.size === meta.size && known.mtimeMs === meta.mtimeMs) {
      return known.state === 'indexed' ? { state: 'indexed', chunks: known.chunks, embedded: 0, unchanged: true } : { state: known.state, reason: known.reason ?? '' };
    }
    if (meta.size > config.max_file_mb * MB) {
      return this.record(source, file, meta, 'skipped', `larger than the ${config.max_file_mb} MB cap (knowledge.max_file_mb): ${(meta.size / MB).toFixed(1)} MB`);
    }
    const format = formatOf(file);
    if (format === 'binary') return this.record(source, file, meta, 'skipped', 'binary file type');
    let bytes: Buffer;
    try {
      bytes = await opened.read();
    } catch (error) {
      return this.record(source, file, meta, 'failed', `cannot read: ${codeOrMessage(error)}`);
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (!force && known && known.state !== 'pending' && known.hash === hash) {
      // Touched, not changed: it keeps its passages — or its failure, without being parsed again.
      await this.store.setFileState(source.id, { path: file, ...meta, state: known.state, hash, ...(known.reason ? { reason: known.reason } : {}) });
      return known.state === 'indexed' ? { state: 'indexed', chunks: known.chunks, embedded: 0, unchanged: true } : { state: known.state, reason: known.reason ?? '' };
    }
    const pending = await this.store.setFileState(source.id, { path: file, ...meta, state: 'pending' });
    try {
      const parsed = await this.parser.parse({ format, name: file, bytes, chunk: { chunkChars: config.chunk_chars, overlapChars: config.overlap_chars } }, signal);
      const chunks = parsed.chunks ?? [];
      if (!chunks.length) return this.record(source, file, meta, 'skipped', 'no text found', hash);
      const { added } = await this.store.replaceChunks(pending.id, hash, chunks);
      const embedded = await this.vectors.embedChunks(added);
      return { state: 'indexed', chunks: chunks.length, embedded, unchanged: false };
    } catch (error) {
      // Stopped (Rein is closing): the file stays pending and is read on the next start.
      if (signal?.aborted) return { state: 'failed', reason: 'stopped before it was read' };
      if (error instanceof UnreadableFileError) return this.record(source, file, meta, error.skip ? 'skipped' : 'failed', error.message, hash);
      return this.record(source, file, meta, 'failed', `could not be indexed: ${errorMessage(error)}`, hash);
    }
  }

  private async drop(known: KnowledgeFile): Promise<FileOutcome> {
    await this.store.removeFile(known.id);
    return { state: 'removed' };
  }

  /** `hash`: the content that failed, so the same bytes are not parsed again after a touch or a restart. */
  private async record(source: KnowledgeSource, file: string, meta: { size: number; mtimeMs: number }, state: 'skipped' | 'failed', reason: string, hash?: string): Promise<FileOutcome> {
    await this.store.setFileState(source.id, { path: file, ...meta, state, reason, ...(hash ? { hash } : {}) });
    return { state, reason };
  }

  private count(progress: IngestProgress, file: string, outcome: FileOutcome): void {
    if (outcome.state === 'indexed') progress.indexed++;
    else if (outcome.state === 'skipped' || outcome.state === 'failed') {
      progress[outcome.state]++;
      note(progress, file, outcome.reason);
    }
  }

  private finish(progress: IngestProgress, onProgress: (p: IngestProgress) => void): IngestProgress {
    const done: IngestProgress = { ...progress, state: 'done', errors: [...progress.errors] };
    delete done.current;
    const unavailable = this.vectors.unavailable;
    if (unavailable) done.embedUnavailable = unavailable;
    onProgress(done);
    return done;
  }
}

function note(progress: IngestProgress, file: string, reason: string): void {
  progress.errors.push({ file, reason });
  if (progress.errors.length > REPORTED_ERRORS) progress.errors.shift();
}

function codeOrMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code} (${errorMessage(error)})` : errorMessage(error);
}
