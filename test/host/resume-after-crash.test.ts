// A host killed mid-run (SIGKILL) leaves that run in host-runs.json; the next host resumes exactly it from its
// checkpoint (same session, seq numbers continuing) and finishes it; the terminal that started it follows it there. (Runs of an in-process CLI never enter that file:
// see host.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHost } from '../../src/host/client.ts';
import { isProcessAlive } from '../../src/host/discovery.ts';
import { readOwnedRuns } from '../../src/host/owned-runs.ts';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama, type ScriptedReply } from '../support/scripted-ollama.ts';
import { startHostProcess, waitFor, type HostProcess } from './host-process.ts';

describe('a host killed mid-run', () => {
  let ollama: ScriptedOllama;
  let host: HostProcess | undefined;
  let crashed = false;
  beforeAll(async () => {
    // Step 1 recalls (a read tool, no approval); step 2 hangs until the host is killed, then answers.
    ollama = await ScriptedOllama.start({
      replies: (request): ScriptedReply => {
        const toolResults = request.messages.filter((m) => m.role === 'tool').length;
        if (toolResults === 0) return { content: '', toolCalls: [{ name: 'recall', arguments: { query: 'sky' } }] };
        return crashed ? { content: 'finished after the crash' } : { hang: true };
      },
    });
  });
  afterAll(async () => {
    await host?.stop();
    await ollama.close();
  });

  it('is resumed from its checkpoint by the next host and finishes', async () => {
    const home = tempDir('rein-host-');
    const first = await startHostProcess(home, ollama.url);
    host = first;
    const client = await connectHost(first.info);
    // The run is started by a terminal attached to the host; that terminal follows it across the crash.
    const terminal = runRein(['run', 'what colour is the sky?'], { env: { REIN_HOME: home } });
    const runId = await waitFor(async () => (await client.api.runs.list())[0]?.runId, 'the run to start');
    await waitFor(async () => (await client.api.runs.events(runId)).some((e) => e.type === 'tool.result'), 'step 1 to finish');
    await waitFor(() => ollama.chatRequests.filter((r) => r.messages.some((m) => m.role === 'tool')).length > 0, 'the hanging step 2');
    expect(readOwnedRuns(home).map((r) => r.runId)).toEqual([runId]);

    crashed = true;
    process.kill(first.info.pid, 'SIGKILL');
    await waitFor(() => !isProcessAlive(first.info.pid), 'the killed host to be gone');
    await client.closed;

    const second = await startHostProcess(home, ollama.url);
    host = second;
    const after = await connectHost(second.info);
    const events = await waitFor(async () => {
      const all = await after.api.runs.events(runId);
      return all.at(-1)?.type === 'run.finished' ? all : undefined;
    }, 'the resumed run to finish', 120_000);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed', answer: 'finished after the crash' });
    const resumed = events.filter((e) => e.type === 'run.resumed');
    expect(resumed).toMatchObject([{ runId, fromStep: 1 }]);
    expect(events.filter((e) => e.type === 'tool.called').length).toBe(1); // step 1 was not done again
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(second.output()).toContain(`resumed run ${runId}`);
    const followed = await terminal;
    expect(followed.stderr).toContain(`lost the host (pid ${first.info.pid})`);
    expect(followed.stderr).toContain(`reconnected to the host (pid ${second.info.pid})`);
    expect(followed).toMatchObject({ code: 0, stdout: 'finished after the crash\n' });
    await waitFor(() => readOwnedRuns(home).length === 0, 'the ledger to empty');
    after.close();
    await second.stop();
    host = undefined;

    // A third start resumes nothing: the run finished, and the ledger is empty.
    const third = await startHostProcess(home, ollama.url);
    host = third;
    expect(third.output()).not.toContain('resumed run');
    expect(JSON.parse(fs.readFileSync(path.join(home, 'host-runs.json'), 'utf8'))).toEqual({ runs: [] });
  }, 300_000);
});
