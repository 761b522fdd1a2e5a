import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_OUTCOME_MESSAGE, parseConfig } from '../../../src/runtime/index.ts';
import { echoTool, tempDir, testConfig } from '../../support/fixtures.ts';
import type { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { crashScript, crashTools } from './crash-tools.ts';
import { collect, memoryRuntime, ofType, startOllama } from './support.ts';

const CHILD = path.join(import.meta.dirname, 'crash-child.ts');

/** Starts the child run and kills it with SIGKILL once its step-2 calls are in flight; returns the session id. */
function runAndKill(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sessionId: string | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /IN_FLIGHT (\S+)/.exec(out);
      if (match && !sessionId) {
        sessionId = match[1];
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => (sessionId && signal === 'SIGKILL' ? resolve(sessionId) : reject(new Error(`child ended without the crash point (${signal}): ${err}`))));
  });
}

describe('checkpoint and resume', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await startOllama();
  });
  afterAll(() => ollama.close());

  it('after kill -9, resumes from the last step: read calls re-run, side effects reported as unknown, no event duplicated', async () => {
    const home = tempDir();
    const markFile = path.join(home, 'sent.txt');
    ollama.script(crashScript);
    const sessionId = await runAndKill({ REIN_HOME: home, MARK_FILE: markFile, OLLAMA_URL: ollama.url });
    expect(fs.readFileSync(markFile, 'utf8')).toBe('sent to boss@example.com\n');

    const parsed = parseConfig('', { env: { REIN_HOME: home }, baseDir: home });
    const config = { ...parsed, model: { ...parsed.model, provider: 'ollama' as const, name: parsed.model.name || 'qwen3:4b', base_url: ollama.url } };
    const { runtime, memory } = memoryRuntime(config, crashTools({ markFile, hang: false }));
    await runtime.start();
    const before = await memory.sessionEvents(sessionId);
    expect(before.at(-1)?.type).toBe('tool.called');
    expect((await memory.listSessions())[0]).toMatchObject({ id: sessionId, status: 'running' });

    ollama.script(crashScript);
    const run = await runtime.resumeRun(sessionId);
    const resumed = await collect(run.events);
    expect((await run.result)).toMatchObject({ status: 'completed', answer: 'All done.', steps: 3 });
    expect(resumed[0]).toMatchObject({ type: 'run.resumed', seq: before.length + 1, fromStep: 1, goal: 'Look up a and b, then email the boss.' });

    const lookupB = ofType(before, 'tool.called').find((c) => c.name === 'lookup' && (c.args as { key: string }).key === 'b')!;
    const email = ofType(before, 'tool.called').find((c) => c.name === 'send_email')!;
    expect(ofType(resumed, 'tool.called').map((c) => c.callId)).toEqual([lookupB.callId]);
    expect(ofType(resumed, 'tool.result')).toEqual([
      expect.objectContaining({ callId: lookupB.callId, ok: true, output: 'looked up b', step: 2 }),
      expect.objectContaining({ callId: email.callId, ok: false, unknownOutcome: true, step: 2 }),
    ]);
    expect(fs.readFileSync(markFile, 'utf8')).toBe('sent to boss@example.com\n');
    const told = ollama.chatRequests[0]!.messages.filter((m) => m.role === 'tool');
    expect(told.map((m) => m.content)).toEqual(['looked up a', 'looked up b', `Error: ${UNKNOWN_OUTCOME_MESSAGE}`]);

    const log = await memory.sessionEvents(sessionId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.slice(0, before.length)).toEqual(before);
    expect((await memory.listSessions())[0]).toMatchObject({ id: sessionId, status: 'completed', steps: 3 });
    await runtime.close();
  }, 60_000);

  it('a stopped session continues in a new runtime with its history, and seq numbers continue', async () => {
    const config = testConfig('', ollama.url);
    let calls = 0;
    ollama.script((request) => (request.messages.filter((m) => m.role === 'tool').length < 3 ? { toolCalls: [{ name: 'echo', arguments: { text: `n${++calls}` } }] } : { content: 'three echoes' }));
    const first = memoryRuntime(config, [{ ...echoTool(), run: async (args) => { if (args.text === 'n2') run.abort('test stop'); return `echo: ${String(args.text)}`; } }]);
    const run = first.runtime.startRun('echo three times');
    const stopped = await collect(run.events);
    expect((await run.result).status).toBe('stopped');
    await first.runtime.close();

    const second = memoryRuntime(config, [echoTool()]);
    await expect(second.runtime.resumeRun('run_nope')).rejects.toThrow('no session run_nope');
    const again = await second.runtime.resumeRun(run.runId);
    const events = await collect(again.events);
    expect(await again.result).toMatchObject({ status: 'completed', answer: 'three echoes' });
    // Step 2 was stopped after its call returned (aborted): it counts as done, and the model sees that result.
    expect(events[0]).toMatchObject({ type: 'run.resumed', seq: stopped.length + 1, fromStep: 2 });
    expect(ollama.chatRequests.at(-2)!.messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual(['echo: n1', 'Error: AbortedError: test stop']);
    expect(ofType(events, 'tool.called').map((c) => (c.args as { text: string }).text)).toEqual(['n3']);
    const log = await second.memory.sessionEvents(run.runId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    await expect(second.runtime.resumeRun(run.runId)).rejects.toThrow(`session ${run.runId} already completed`);
    await second.runtime.close();
  });
});
