// The shell's host supervisor with real hosts (`rein serve` on this Node): it attaches to a live host instead of
// starting a second one and leaves that host running when it stops; without a Node it says where it looked.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostStatus } from '../../src/common/host-status.ts';
import { isProcessAlive, readHostInfo } from '../../src/host/discovery.ts';
import { HostConnection } from '../../src/main/host-connection.ts';
import { HostSupervisor, backoffMs } from '../../src/main/host-supervisor.ts';
import { appPaths } from '../../src/main/paths.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function supervisor(dataDir: string, statuses: HostStatus[], env: NodeJS.ProcessEnv = { ...process.env, REIN_NODE: process.execPath }, appRoot = ROOT) {
  const connection = new HostConnection();
  const paths = appPaths({ isPackaged: false, appRoot, resourcesPath: '', env });
  return { connection, supervisor: new HostSupervisor({ dataDir, paths, env: () => env, background: false, connection, onStatus: (s) => statuses.push(s) }) };
}

describe('host supervisor', () => {
  it('attaches to the live host of the data dir, relays calls, and leaves that host running when it stops', async () => {
    const ollama = await ScriptedOllama.start();
    const dataDir = tempDir('rein-attach-');
    // A host someone else started (here: `rein serve`, as from a terminal).
    const other = spawn(process.execPath, ['--no-node-snapshot', path.join(ROOT, 'bin/rein.mjs'), 'serve', '--port', '0'], {
      env: { ...process.env, REIN_HOME: dataDir, OLLAMA_HOST: ollama.url },
      stdio: 'ignore',
    });
    children.push(other);
    await expect.poll(() => readHostInfo(dataDir)?.pid, { timeout: 60_000, interval: 200 }).toBe(other.pid);

    const statuses: HostStatus[] = [];
    const { connection, supervisor: shell } = supervisor(dataDir, statuses);
    await shell.start();
    expect(statuses.at(-1)).toEqual({ state: 'connected' });
    expect(shell.hostInfo?.pid).toBe(other.pid); // no second host
    const listed = await connection.invoke('runs.list', []);
    expect(listed.ok).toBe(true);
    const bad = await connection.invoke('runs.start', [{ goal: 42 }]);
    expect(bad.ok).toBe(false); // the host validates the arguments

    await shell.stop();
    expect(statuses.at(-1)).toEqual({ state: 'stopped' });
    expect(isProcessAlive(other.pid!)).toBe(true);
    other.kill('SIGTERM');
    await ollama.close();
  }, 90_000);

  it('without a Node 24 to run the host, keeps retrying and says where it looked', async () => {
    const statuses: HostStatus[] = [];
    const { supervisor: shell } = supervisor(tempDir('rein-nonode-'), statuses, { PATH: path.dirname(process.execPath) }, tempDir('rein-noroot-'));
    void shell.start();
    await expect.poll(() => statuses.at(-1)?.detail ?? '').toContain('no Node.js 24 to run Rein\'s runtime; looked for');
    expect(statuses.at(-1)).toMatchObject({ state: 'starting', attempt: 1 });
    await shell.stop();
  });

  it('backs off from half a second, doubling, to at most ten seconds', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
