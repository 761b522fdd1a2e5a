// Opening a file of a source with no check-then-use gap: the file is opened first (never blocking on a FIFO),
// then the OPENED descriptor's real path is checked against the source — /proc/self/fd on Linux, else the real
// path's device and inode compared with the descriptor's. A file swapped for a symlink to somewhere else, at any
// moment, is refused: what is read is always what was checked.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { KnowledgeAccessError } from './errors.ts';
import type { KnowledgeSource } from './types.ts';

/** `inside`: symlinks leading to a file inside the same source are followed; `refuse`: no symlink is read. */
export type SymlinkPolicy = 'inside' | 'refuse';

export interface GrantedFile {
  size: number;
  mtimeMs: number;
  /** The whole file (read from the checked descriptor). */
  read(): Promise<Buffer>;
  close(): Promise<void>;
}

/** A file refused because of where it leads (or what it is): skipped with this reason, never read. */
export class NotGrantedError extends KnowledgeAccessError {}

const PROC_FD = process.platform === 'linux' && fs.existsSync('/proc/self/fd');

export async function openGranted(file: string, source: Pick<KnowledgeSource, 'path' | 'kind'>, policy: SymlinkPolicy): Promise<GrantedFile> {
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (policy === 'refuse' ? (fs.constants.O_NOFOLLOW ?? 0) : 0);
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP' && policy === 'refuse') throw new NotGrantedError(`${file} is a symlink (knowledge.symlinks: refuse)`);
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotGrantedError(`${file} is not a regular file`);
    const real = await realPathOf(handle, file, stat);
    const root = await grantedRoot(source);
    const inside = source.kind === 'file' ? real === root : real === root || real.startsWith(root + path.sep);
    if (!inside) throw new NotGrantedError(`${file} leads outside the granted ${source.kind === 'file' ? 'file' : 'folder'} (a symlink?): not read`);
    if (policy === 'refuse' && source.kind === 'folder' && real !== path.join(root, path.relative(source.path, file))) {
      throw new NotGrantedError(`${file} is reached through a symlink (knowledge.symlinks: refuse)`);
    }
    return {
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      read: () => handle.readFile(),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The whole of a granted file, refused above `maxBytes` (the knowledge size cap) before anything is read. */
export async function readGranted(file: string, source: Pick<KnowledgeSource, 'path' | 'kind'>, policy: SymlinkPolicy, maxBytes: number): Promise<Buffer> {
  const opened = await openGranted(file, source, policy);
  try {
    if (opened.size > maxBytes) throw new Error(`${file} is larger than the knowledge size cap (${Math.round(maxBytes / 1024 / 1024)} MB)`);
    return await opened.read();
  } finally {
    await opened.close();
  }
}

/** The real path of what the descriptor holds. */
async function realPathOf(handle: fsp.FileHandle, file: string, stat: fs.Stats): Promise<string> {
  if (PROC_FD) return fsp.readlink(`/proc/self/fd/${handle.fd}`);
  // Elsewhere: the path's real path must still be the opened file (same device and inode).
  const real = await fsp.realpath(file);
  const now = await fsp.stat(real);
  if (now.dev !== stat.dev || now.ino !== stat.ino) throw new NotGrantedError(`${file} changed while it was opened (swapped for a symlink?): not read`);
  return real;
}

/** The folder's real path; for a file source, the real path of its folder plus its own name (no link followed). */
async function grantedRoot(source: Pick<KnowledgeSource, 'path' | 'kind'>): Promise<string> {
  if (source.kind === 'folder') return fsp.realpath(source.path);
  return path.join(await fsp.realpath(path.dirname(source.path)), path.basename(source.path));
}
