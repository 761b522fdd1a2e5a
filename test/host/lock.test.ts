// host.lock: one owner per data dir, a dead owner's lock is taken over, and processes racing for a stale lock end
// with exactly one owner.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostFiles } from '../../src/host/discovery.ts';
import { acquireHostLock, readLockOwner } from '../../src/host/lock.ts';
import { tempDir } from '../support/fixtures.ts';

const LOCK_MODULE = path.resolve(import.meta.dirname, '../../src/host/lock.ts');
const DEAD_PID = 2 ** 22 + 12345; // above Linux's pid_max: never a live process

/** A separate process that tries to take the lock, reports, and holds it for `holdMs`. */
function contender(dir: string, holdMs: number): Promise<string> {
  const script = `const { acquireHostLock } = await import(${JSON.stringify(LOCK_MODULE)});
const result = await acquireHostLock(${JSON.stringify(dir)});
process.stdout.write(result.acquired ? 'acquired' : 'held by ' + result.owner.pid);
await new Promise((r) => setTimeout(r, ${holdMs}));
if (result.acquired) result.release();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
}

describe('host.lock', () => {
  it('is taken once, refused while its owner lives, and released by its owner only', async () => {
    const dir = tempDir();
    const lock = await acquireHostLock(dir);
    expect(lock.acquired).toBe(true);
    const file = hostFiles(dir).lock;
    expect(readLockOwner(file)?.pid).toBe(process.pid);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await contender(dir, 0)).toBe(`held by ${process.pid}`);
    if (lock.acquired) lock.release();
    expect(fs.existsSync(file)).toBe(false);
  }, 60_000);

  it('of a dead owner is taken over; of several racing processes exactly one wins', async () => {
    const dir = tempDir();
    fs.writeFileSync(hostFiles(dir).lock, JSON.stringify({ pid: DEAD_PID, startedAt: '2026-01-01T00:00:00Z' }));
    const results = await Promise.all([0, 1, 2, 3].map(() => contender(dir, 3000)));
    expect(results.filter((r) => r === 'acquired')).toHaveLength(1);
    expect(results.filter((r) => r.startsWith('held by '))).toHaveLength(3);
    expect(fs.existsSync(`${hostFiles(dir).lock}.takeover`)).toBe(false);
  }, 60_000);

  it('holding our own pid (a previous host that had the same pid) is stale', async () => {
    const dir = tempDir();
    fs.writeFileSync(hostFiles(dir).lock, JSON.stringify({ pid: process.pid, startedAt: '2026-01-01T00:00:00Z' }));
    const lock = await acquireHostLock(dir);
    expect(lock.acquired).toBe(true);
    if (lock.acquired) lock.release();
  });
});
