// The provider contract for the embedded engine, through the real runtime on a real GGUF (the tiny random-weight
// test model): there is no server to script, so each scenario checks what a real model can be held to — the reply
// streamed with usage; a tool call constrained by the grammar, run, its result given back; an engine that cannot
// start failing at once with one clear error. (Parallel calls and malformed-call repair cannot happen here: the
// grammar allows one well-formed call per turn. Overflow is covered in embedded-provider.test.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/common/index.ts';
import { Runtime, type ModelConfig } from '../../../../src/runtime/index.ts';
import { EmbeddedProvider, type ModelClient } from '../../../../src/runtime/model/index.ts';
import type { Tool } from '../../../../src/runtime/tools/index.ts';
import { testConfig } from '../../../support/fixtures.ts';
import { TINY_GGUF } from '../../../support/model-file-server.ts';

const model: ModelConfig = { source: 'model', provider: 'embedded', name: TINY_GGUF, base_url: '', flavor: 'auto', temperature: 0, num_ctx: 2048, threads: 1, max_tokens: 48 };

const lookup: Tool = {
  name: 'lookup',
  description: 'Look up the weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string', enum: ['Paris', 'Oslo'] } }, required: ['city'], additionalProperties: false },
  capability: 'read',
  source: { kind: 'builtin' },
  run: async (args) => `sunny in ${String(args.city)}`,
};

describe('model provider contract: embedded', () => {
  const clients: ModelClient[] = [];
  afterAll(() => Promise.all(clients.map((c) => c.close?.())));

  async function run(goal: string, tools: Tool[], client: ModelClient = new EmbeddedProvider(model, { dataDir: testConfig('', 'http://127.0.0.1:9').dataDir })) {
    clients.push(client);
    const config = { ...testConfig('', 'http://127.0.0.1:9'), model, runtime: { ...testConfig('', 'http://127.0.0.1:9').runtime, max_steps: 2 } };
    const runtime = new Runtime({ config, model: client, tools, trace: false, extensions: [], retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    try {
      const handle = runtime.startRun(goal);
      const result = await handle.result;
      return { events: handle.events.events() as readonly RunEvent[], status: result.status, reason: result.reason };
    } finally {
      await runtime.close();
    }
  }

  it('plain answer: streamed in pieces, with usage', { timeout: 60_000 }, async () => {
    const { events, status } = await run('Say hello.', []);
    expect(status).toBe('completed');
    expect(events.filter((e) => e.type === 'model.delta').length).toBeGreaterThan(1);
    expect(events.find((e) => e.type === 'run.started')).toMatchObject({ provider: 'embedded', model: TINY_GGUF });
    const completed = events.find((e) => e.type === 'model.completed');
    expect(completed?.type === 'model.completed' && completed.usage).toMatchObject({ completionTokens: 48 });
    expect(completed?.type === 'model.completed' && completed.usage.promptTokens).toBeGreaterThan(0);
  });

  it('tool call: constrained by the grammar, run, its result given back', { timeout: 60_000 }, async () => {
    const { events } = await run('What is the weather in Paris?', [lookup]);
    const called = events.find((e) => e.type === 'tool.called');
    expect(called).toMatchObject({ name: 'lookup', step: 1 });
    expect(['Paris', 'Oslo']).toContain(called?.type === 'tool.called' && (called.args as { city: string }).city);
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ ok: true, output: expect.stringMatching(/^sunny in (Paris|Oslo)$/) });
    expect(events.filter((e) => e.type === 'model.completed').length).toBe(2); // the result went back for a second turn
  });

  it('engine down: one clear error at once, no retries', { timeout: 30_000 }, async () => {
    const broken = new EmbeddedProvider(model, { dataDir: testConfig('', 'http://127.0.0.1:9').dataDir, engine: { entry: '/nonexistent/engine-worker.js' } });
    const { events, status, reason } = await run('hello', [], broken);
    expect(status).toBe('failed');
    expect(reason).toMatch(/the embedded engine's worker process \(\/nonexistent\/engine-worker\.js\) could not start: it exited with code 1 \(.*Cannot find module/);
    expect(events.filter((e) => e.type === 'model.retry')).toEqual([]);
  });
});
