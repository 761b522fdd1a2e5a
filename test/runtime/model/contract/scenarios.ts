// The one contract every model provider meets, run through the real runtime (loop, tool guard) against a scripted
// server of that provider. A provider's test file calls `providerContract` with its fixture; adding a provider to
// the suite is adding one such file.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/common/index.ts';
import { Runtime, type ModelConfig } from '../../../../src/runtime/index.ts';
import { addTool, echoTool, testConfig } from '../../../support/fixtures.ts';

/** What a scenario asks the scripted server to answer, in provider-neutral terms. */
export interface ContractReply {
  content?: string;
  toolCalls?: { name: string; arguments: unknown }[];
  /** Refuse the prompt as too long, the way this server words it, naming this window. */
  overflow?: { window: number };
}

export interface ContractServer {
  /** The model config that points at the scripted server. */
  model: ModelConfig;
  script(replies: ContractReply[]): void;
  /** Chat requests the server received since the last script(). */
  requests(): number;
  close(): Promise<void>;
}

export interface ContractFixture {
  start(): Promise<ContractServer>;
  /** The model config of this provider when its server is not running (a port nobody listens on). */
  down(port: number): ModelConfig;
  /** Words the "not reachable" error must contain: the server's name and how to start it. */
  downMessage: RegExp;
}

export function providerContract(name: string, fixture: ContractFixture): void {
  describe(`model provider contract: ${name}`, () => {
    let server: ContractServer;
    beforeAll(async () => {
      server = await fixture.start();
    });
    afterAll(() => server.close());

    async function run(goal: string, model = server.model): Promise<{ events: readonly RunEvent[]; status: string; answer?: string; reason?: string }> {
      const config = { ...testConfig('', 'http://127.0.0.1:9'), model };
      const runtime = new Runtime({ config, tools: [addTool, echoTool()], trace: false, extensions: [], retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 10 } });
      try {
        const handle = runtime.startRun(goal);
        const result = await handle.result;
        return { events: handle.events.events(), status: result.status, ...(result.answer ? { answer: result.answer } : {}), ...(result.reason ? { reason: result.reason } : {}) };
      } finally {
        await runtime.close();
      }
    }

    it('plain answer: streamed in pieces, with usage', async () => {
      server.script([{ content: 'Seventeen times twenty-three is 391.' }]);
      const { events, status, answer } = await run('What is 17 * 23?');
      expect(status).toBe('completed');
      expect(answer).toBe('Seventeen times twenty-three is 391.');
      expect(events.filter((e) => e.type === 'model.delta').length).toBeGreaterThan(1);
      const completed = events.find((e) => e.type === 'model.completed');
      expect(completed).toMatchObject({ provider: server.model.provider, host: server.model.base_url });
      expect(completed?.type === 'model.completed' && completed.usage.promptTokens).toBeGreaterThan(0);
    });

    it('streamed tool call: assembled, run, its result given back', async () => {
      server.script([{ toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] }, { content: 'It is 5.' }]);
      const { events, status, answer } = await run('Add 2 and 3');
      expect(status).toBe('completed');
      expect(events.find((e) => e.type === 'tool.called')).toMatchObject({ name: 'add', args: { a: 2, b: 3 } });
      expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ ok: true, output: '5' });
      expect(answer).toBe('It is 5.');
      expect(server.requests()).toBe(2);
    });

    it('two parallel calls in one turn', async () => {
      server.script([{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }, { name: 'echo', arguments: { text: 'hi' } }] }, { content: 'Done.' }]);
      const { events, status } = await run('Add 1 and 2 and echo hi');
      expect(status).toBe('completed');
      const called = events.filter((e) => e.type === 'tool.called');
      expect(called.map((e) => e.type === 'tool.called' && [e.step, e.name])).toEqual([[1, 'add'], [1, 'echo']]);
      const results = events.filter((e) => e.type === 'tool.result');
      expect(results.map((e) => e.type === 'tool.result' && e.output)).toEqual(['3', 'echo: hi']);
    });

    it('malformed call repaired: a prefixed tool name and numbers as strings', async () => {
      server.script([{ toolCalls: [{ name: 'functions.add', arguments: { a: '4', b: '5' } }] }, { content: 'Nine.' }]);
      const { events, status } = await run('Add 4 and 5');
      expect(status).toBe('completed');
      const called = events.find((e) => e.type === 'tool.called');
      expect(called).toMatchObject({ name: 'add', args: { a: 4, b: 5 } });
      expect(called?.type === 'tool.called' && called.repaired).toMatch(/resolved to "add"/);
      expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ ok: true, output: '9' });
    });

    it('overflow: the server refuses the prompt, the loop shrinks it and retries once', async () => {
      server.script([{ overflow: { window: 2048 } }, { content: 'Fits now.' }]);
      const { events, status, answer } = await run('Summarise everything');
      expect(status).toBe('completed');
      expect(answer).toBe('Fits now.');
      const notices = events.filter((e) => e.type === 'run.notice' && e.source === 'model');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ message: expect.stringMatching(/does not fit.*shrinking the prompt and retrying once/) });
      expect(server.requests()).toBe(2);
    });

    it('server down: one clear error at once, naming the server and how to start it', async () => {
      const port = await closedPort();
      const started = Date.now();
      const { events, status, reason } = await run('hello', fixture.down(port));
      expect(status).toBe('failed');
      expect(reason).toMatch(fixture.downMessage);
      expect(reason).toMatch(/ECONNREFUSED/);
      expect(events.filter((e) => e.type === 'model.retry')).toEqual([]);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });
}

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
