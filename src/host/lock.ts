// One host per data dir: <dataDir>/host.lock is created exclusively and names its owner's pid. A lock whose owner is
// dead (the host was killed) is stale and taken over; two processes taking it over at once are serialised by a short
// `host.lock.takeover` file, so exactly one of them wins.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostFiles, isProcessAlive } from './discovery.ts';

/** A lock file still empty after this long was left by a process that died while creating it. */
const EMPTY_LOCK_GRACE_MS = 5000;
/** A takeover file older than this was left by a process that died while taking over. */
const TAKEOVER_STALE_MS = 10_000;
const ATTEMPTS = 50;

export interface LockOwner {
  pid: number;
  startedAt: string;
}

export type LockResult = { acquired: true; release(): void } | { acquired: false; owner: LockOwner };

export async function acquireHostLock(dataDir: string): Promise<LockResult> {
  const file = hostFiles(dataDir).lock;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryCreate(file)) return { acquired: true, release: () => releaseLock(file) };
    const owner = readLockOwner(file);
    if (owner && owner.pid !== process.pid && isProcessAlive(owner.pid)) return { acquired: false, owner };
    if (!owner && ageMs(file) < EMPTY_LOCK_GRACE_MS) {
      await sleep(50); // its owner is between creating and writing it
      continue;
    }
    if (!takeOver(file)) await sleep(50 + Math.random() * 100);
  }
  throw new Error(`cannot take ${file}: other processes keep competing for it; try again`);
}

export function readLockOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(owner?.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() } satisfies LockOwner));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** Removes a stale lock under the takeover file; false when another process is taking over right now. */
function takeOver(file: string): boolean {
  const guard = `${file}.takeover`;
  if (!tryCreate(guard)) {
    if (ageMs(guard) > TAKEOVER_STALE_MS) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    // Re-check under the guard: another process may have taken over and locked it since we looked.
    const owner = readLockOwner(file);
    // Our own pid in a lock we did not take: a previous host with the same pid (containers reuse pids after a restart).
    const stale = owner ? owner.pid === process.pid || !isProcessAlive(owner.pid) : ageMs(file) >= EMPTY_LOCK_GRACE_MS;
    if (stale) fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

function releaseLock(file: string): void {
  if (readLockOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}
