// How a Rein tells a dead parent's containers from a live one's: host, pid and the process's start time (a reused
// pid is a different process).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatIdentity, isAlive, parentIdentity, parseIdentity } from '../../../src/runtime/containers/index.ts';

describe('parent identity', () => {
  it('round-trips through its label and sees this process alive', () => {
    const me = parentIdentity();
    expect(me).toMatchObject({ host: os.hostname(), pid: process.pid, started: expect.stringMatching(/^\d+$/) });
    expect(parseIdentity(formatIdentity(me))).toEqual(me);
    expect(isAlive(me)).toBe(true);
  });

  it('a process that ended, or a pid now used by another process, is dead; another machine\'s is not ours to judge', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 100)']);
    const identity = parentIdentity(child.pid!);
    expect(isAlive(identity)).toBe(true);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(isAlive(identity)).toBe(false);
    expect(isAlive({ ...parentIdentity(), started: '1' })).toBe(false); // this pid, but not the process that started
    expect(isAlive({ host: 'some-other-host', pid: 999_999 })).toBe(true);
    expect(parseIdentity('garbage')).toBeUndefined();
    expect(parseIdentity('host/0/')).toBeUndefined();
  });
});
