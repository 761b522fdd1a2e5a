// How clients find the host of a data dir: <dataDir>/host.json (0600), written by the host once it listens.
// Plain Node only (fs, path, http): the Electron shell imports this file, so it must never reach the runtime.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
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

/** The data dir's files; `socket` is the preferred local socket (the host may use a private folder instead: `hostSocketPath`). */
export function hostFiles(dataDir: string, platform = process.platform): HostFiles {
  const dir = path.resolve(dataDir);
  let socket = path.join(dir, 'host.sock');
  if (platform === 'win32') socket = `\\\\.\\pipe\\rein-${hashOf(dir)}`;
  return { info: path.join(dir, 'host.json'), lock: path.join(dir, 'host.lock'), socket };
}

/**
 * Where a new host listens: `<dataDir>/host.sock` (the data dir is private), else — its path too long for a socket —
 * in a folder private to this user: `$XDG_RUNTIME_DIR` when it is one, else a new 0700 folder with an unguessable
 * name under the temp dir (`remove` deletes it at stop). Never a fixed name another user could take first.
 * On Windows a named pipe with a random part. Clients take the path from host.json.
 */
export function hostSocketPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): { socket: string; remove(): void } {
  const dir = path.resolve(dataDir);
  const nothing = () => undefined;
  if (process.platform === 'win32') return { socket: `\\\\.\\pipe\\rein-${hashOf(dir)}-${crypto.randomBytes(8).toString('hex')}`, remove: nothing };
  const inDataDir = path.join(dir, 'host.sock');
  if (Buffer.byteLength(inDataDir) <= UNIX_SOCKET_MAX) return { socket: inDataDir, remove: nothing };
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir && path.isAbsolute(runtimeDir) && !folderProblem(runtimeDir, 'XDG_RUNTIME_DIR')) {
    const socket = path.join(runtimeDir, `rein-${hashOf(dir)}.sock`);
    if (Buffer.byteLength(socket) <= UNIX_SOCKET_MAX) return { socket, remove: nothing };
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-')); // 0700, owned by us, random name
  return { socket: path.join(folder, 'host.sock'), remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

function hashOf(dir: string): string {
  return crypto.createHash('sha256').update(dir).digest('hex').slice(0, 16);
}

/** A data dir or host file another user could have written: its owner or mode is wrong. Says how to fix it. */
export class UnsafeHostFileError extends Error {}

const myUid = (): number | undefined => (process.platform === 'win32' || typeof process.getuid !== 'function' ? undefined : process.getuid());
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(3, '0');

/** Why `dir` is not private to this user (owned by someone else, or writable by others); undefined when it is. */
function folderProblem(dir: string, what: string): string | undefined {
  const uid = myUid();
  if (uid === undefined) return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return undefined; // not there yet: it is created private
  }
  if (stat.uid !== uid) return `${what} ${dir} is owned by another user (uid ${stat.uid}, you are ${uid}), who could plant a fake Rein host there; use a data dir of your own (REIN_HOME), or make it yours: sudo chown -R ${uid} ${dir}`;
  if (stat.mode & 0o022) return `${what} ${dir} is writable by other users (mode ${octal(stat.mode)}), who could plant a fake Rein host there; fix: chmod 700 ${dir}`;
  return undefined;
}

/** Why a file in the data dir (host.json, the socket) is not one this user's host wrote; undefined when it is. */
function fileProblem(file: string, kind: 'file' | 'socket'): string | undefined {
  const uid = myUid();
  if (uid === undefined) return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  const fix = `; if no Rein host of yours is running, remove it: rm ${file}`;
  if (kind === 'file' ? !stat.isFile() : !stat.isSocket()) return `${file} is not a ${kind === 'file' ? 'regular file' : 'socket'} (a link?)${fix}`;
  if (stat.uid !== uid) return `${file} is owned by another user (uid ${stat.uid}), not written by your Rein host${fix}`;
  if (stat.mode & (kind === 'file' ? 0o077 : 0o022)) return `${file} is open to other users (mode ${octal(stat.mode)}), not written by your Rein host${fix}`;
  return undefined;
}

/** Throws UnsafeHostFileError when the data dir or its host.json could have been written by another user. */
export function checkDataDir(dataDir: string): void {
  const dir = path.resolve(dataDir);
  const problem = folderProblem(dir, 'the data dir') ?? fileProblem(hostFiles(dir).info, 'file');
  if (problem) throw new UnsafeHostFileError(problem);
}

/** Throws UnsafeHostFileError when the host's local socket is not this user's, in a folder only this user can write. */
function checkSocket(socket: string): void {
  if (process.platform === 'win32') return;
  const problem = folderProblem(path.dirname(socket), "the local socket's folder") ?? fileProblem(socket, 'socket');
  if (problem) throw new UnsafeHostFileError(problem);
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

/**
 * The recorded host of `dataDir` if its process is alive (it may still be starting or stopping). Throws
 * UnsafeHostFileError when the data dir, host.json or the socket it names could have been planted by another user.
 */
export function readHostInfo(dataDir: string): HostInfo | undefined {
  checkDataDir(dataDir);
  let info: HostInfo;
  try {
    info = JSON.parse(fs.readFileSync(hostFiles(dataDir).info, 'utf8')) as HostInfo;
  } catch {
    return undefined;
  }
  if (typeof info?.port !== 'number' || typeof info.token !== 'string' || !isProcessAlive(info.pid)) return undefined;
  if (typeof info.socket === 'string') checkSocket(info.socket);
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

/** The proof a host gives that it holds the data dir's token, for `challenge` (never the token itself). */
export function identityProof(token: string, challenge: string): string {
  return crypto.createHmac('sha256', token).update(`rein-host\n${challenge}`).digest('hex');
}

/**
 * GET /health (over the local socket when there is one) answers {ok: true, name: 'rein'} within `timeoutMs` and
 * proves it holds host.json's token (HMAC of a fresh challenge): a process that merely took the port or the socket
 * name cannot, so nothing (no token, no goal) is ever sent to it.
 */
export function checkHealth(info: Pick<HostInfo, 'url' | 'socket' | 'token'>, timeoutMs = 2000): Promise<boolean> {
  const challenge = crypto.randomBytes(16).toString('hex');
  const viaSocket = info.socket && process.platform !== 'win32';
  const target = new URL(`${info.url}/health?challenge=${challenge}`);
  return new Promise((resolve) => {
    const request = http.get(
      viaSocket ? { socketPath: info.socket, path: `${target.pathname}${target.search}`, timeout: timeoutMs } : { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, timeout: timeoutMs },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk.length + body.length > 4096 ? '' : chunk));
        response.on('end', () => {
          try {
            const value = JSON.parse(body) as { ok?: boolean; name?: string; proof?: unknown };
            const expected = Buffer.from(identityProof(info.token, challenge));
            const proof = Buffer.from(typeof value.proof === 'string' ? value.proof : '');
            resolve(response.statusCode === 200 && value.ok === true && value.name === 'rein' && proof.length === expected.length && crypto.timingSafeEqual(proof, expected));
          } catch {
            resolve(false);
          }
        });
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** The live, healthy host of `dataDir`, or undefined when there is none. Throws UnsafeHostFileError (see readHostInfo). */
export async function findHost(dataDir: string, timeoutMs = 2000): Promise<HostInfo | undefined> {
  const info = readHostInfo(dataDir);
  if (!info) return undefined;
  return (await checkHealth(info, timeoutMs)) ? info : undefined;
}
