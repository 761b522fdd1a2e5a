// startHost in-process: the default port falls back when busy, and the runs a previous host left are resumed only
// when they can be (unknown sessions and runs that keep crashing their host are given up, with a line saying so).
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, startHost, type RunningHost } from '../../src/host/host.ts';
import { MAX_RESUMES, OwnedRunsLedger, ownedRunsFile, readOwnedRuns } from '../../src/host/owned-runs.ts';
import { DEFAULT_RENDERER_DIR } from '../../src/server/index.ts';
import type { RunEvent } from '../../src/common/index.ts';
import { testConfig } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';

describe('startHost', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: () => ({ content: 'ok' }) });
  });
  afterAll(async () => {
    await ollama.close();
  });

  it('serves on a free port when 8765 is busy, and says so', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => {
      blocker.once('error', () => resolve()); // already busy: fine for this test
      blocker.listen(DEFAULT_PORT, '127.0.0.1', () => resolve());
    });
    const lines: string[] = [];
    const started = await startHost({ config: testConfig('', ollama.url), rendererDir: DEFAULT_RENDERER_DIR, version: 'test', log: (line) => lines.push(line) });
    if (started.kind !== 'started') throw new Error(`not started: ${started.kind}`);
    try {
      expect(started.host.info.port).not.toBe(DEFAULT_PORT);
      expect(lines).toContain(`port ${DEFAULT_PORT} is busy (another program uses it); serving on port ${started.host.info.port} instead`);
    } finally {
      await started.host.close();
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);

  it('gives up runs it cannot resume, and runs resumed too often, and empties the ledger', async () => {
    const config = testConfig('', ollama.url);
    const since = new Date().toISOString();
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(
      ownedRunsFile(config.dataDir),
      JSON.stringify({ runs: [{ runId: 'run_unknown', goal: 'g', since, pid: 1 }, { runId: 'run_crashy', goal: 'g', since, pid: 1, resumes: MAX_RESUMES }] }),
    );
    const lines: string[] = [];
    const started = await startHost({ config, port: 0, rendererDir: DEFAULT_RENDERER_DIR, version: 'test', log: (line) => lines.push(line) });
    if (started.kind !== 'started') throw new Error(`not started: ${started.kind}`);
    const host: RunningHost = started.host;
    try {
      expect(await host.resumed).toEqual([]);
      expect(lines).toEqual([expect.stringMatching(/^cannot resume run run_unknown: /), expect.stringMatching(/^not resuming run run_crashy again: it was resumed 3 times/)]);
      expect(readOwnedRuns(config.dataDir)).toEqual([]);
    } finally {
      await host.close();
    }
  }, 60_000);
});

describe('OwnedRunsLedger', () => {
  it('holds the unfinished runs, keeping the resume count across run.resumed', () => {
    const dir = testConfig('', 'http://127.0.0.1:9').dataDir;
    fs.mkdirSync(dir, { recursive: true });
    const ledger = new OwnedRunsLedger(dir, [{ runId: 'run_a', goal: 'a', since: 't', pid: 1 }]);
    const event = (type: string, runId: string, extra: object = {}) => ({ type, runId, seq: 1, time: 't2', goal: 'g', ...extra }) as unknown as RunEvent;
    ledger.resuming('run_a');
    ledger.observe(event('run.resumed', 'run_a'));
    ledger.observe(event('run.started', 'run_b'));
    expect(readOwnedRuns(dir)).toMatchObject([{ runId: 'run_a', resumes: 1, pid: process.pid }, { runId: 'run_b' }]);
    ledger.observe(event('run.finished', 'run_a', { status: 'completed' }));
    expect(readOwnedRuns(dir).map((r) => r.runId)).toEqual(['run_b']);
    expect(fs.statSync(ownedRunsFile(dir)).mode & 0o777).toBe(0o600);
  });
});
