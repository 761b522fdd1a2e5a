// How clients find the host of a data dir: <dataDir>/host.json (0600), written by the host once it listens.
// Plain Node only (fs, path, http): the Electron shell imports this file, so it must never reach the runtime.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** What a running host tells its clients. The token authenticates HTTP (Bearer) and WebSocket calls. */
export interface HostInfo {
  pid: number;
  /** Loopback HTTP/WS: http://127.0.0.1:<port> (no token). */
  url: string;
  port: number;
  token: string;
  /** The local socket (Unix domain socket, or a named pipe on Windows) serving the same HTTP/WS API. */
  socket?: string;
  version: string;
  /** process.version of the Node running the host. */
  node: string;
  dataDir: string;
  startedAt: string;
}

export interface HostFiles {
  info: string;
  lock: string;
  socket: string;
}

const UNIX_SOCKET_MAX = 100; // sun_path is 104–108 bytes depending on the OS

export function hostFiles(dataDir: string, platform = process.platform): HostFiles {
  const dir = path.resolve(dataDir);
  const hash = crypto.createHash('sha256').update(dir).digest('hex').slice(0, 16);
  let socket = path.join(dir, 'host.sock');
  if (platform === 'win32') socket = `\\\\.\\pipe\\rein-${hash}`;
  else if (Buffer.byteLength(socket) > UNIX_SOCKET_MAX) socket = path.join('/tmp', `rein-${hash}.sock`);
  return { info: path.join(dir, 'host.json'), lock: path.join(dir, 'host.lock'), socket };
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The recorded host of `dataDir` if its process is alive (it may still be starting or stopping). */
export function readHostInfo(dataDir: string): HostInfo | undefined {
  let info: HostInfo;
  try {
    info = JSON.parse(fs.readFileSync(hostFiles(dataDir).info, 'utf8')) as HostInfo;
  } catch {
    return undefined;
  }
  if (typeof info?.port !== 'number' || typeof info.token !== 'string' || !isProcessAlive(info.pid)) return undefined;
  return info;
}

/** Written atomically with mode 0600, so a reader never sees half a file and other users never see the token. */
export function writeHostInfo(dataDir: string, info: HostInfo): void {
  const file = hostFiles(dataDir).info;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** Removes host.json if it still describes `pid` (a newer host's file is left alone). */
export function removeHostInfo(dataDir: string, pid = process.pid): void {
  const file = hostFiles(dataDir).info;
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as HostInfo;
    if (info.pid === pid) fs.rmSync(file, { force: true });
  } catch {
    // nothing to remove
  }
}

/** GET <url>/health answers {ok: true, name: 'rein'} within `timeoutMs`. */
export function checkHealth(url: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${url}/health`, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          const value = JSON.parse(body) as { ok?: boolean; name?: string };
          resolve(response.statusCode === 200 && value.ok === true && value.name === 'rein');
        } catch {
          resolve(false);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** The live, healthy host of `dataDir`, or undefined when there is none. */
export async function findHost(dataDir: string, timeoutMs = 2000): Promise<HostInfo | undefined> {
  const info = readHostInfo(dataDir);
  if (!info) return undefined;
  return (await checkHealth(info.url, timeoutMs)) ? info : undefined;
}
