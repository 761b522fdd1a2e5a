import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../src/common/index.ts';
import { Runtime, type RuntimeExtension } from '../../src/runtime/index.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { echoTool, testConfig } from '../support/fixtures.ts';

describe('runtime extensions', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('start concurrently, add tools and pinned text, see every step, and close in reverse order', async () => {
    const log: string[] = [];
    const good: RuntimeExtension = {
      name: 'good',
      start: (host) => host.registry.add(echoTool()),
      hooks: {
        name: 'good',
        onRunStart: ({ goal }) => [`Remember: the goal was "${goal}".`],
        prepareMessages: (messages, { step }) => {
          log.push(`prepare ${step}`);
          return messages;
        },
        afterStep: (_messages, { step }) => void log.push(`after ${step}`),
        onRunFinish: (result) => void log.push(`finish ${result.status}`),
      },
      close: () => void log.push('close good'),
    };
    const broken: RuntimeExtension = {
      name: 'broken',
      start: () => Promise.reject(new Error('cannot open the thing')),
      hooks: { name: 'broken', onRunStart: () => ['never injected'] },
      close: () => void log.push('close broken'),
    };
    const runtime = new Runtime({ config: testConfig('', ollama.url), extensions: [good, broken], trace: false });
    const notices: SystemEvent[] = [];
    runtime.onSystemEvent((e) => notices.push(e));
    ollama.script([{ toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] }, { content: 'done' }]);
    const result = await runtime.startRun('say hi').result;
    await runtime.close();

    expect(result.status).toBe('completed');
    expect(notices).toEqual([expect.objectContaining({ type: 'system.notice', level: 'error', source: 'broken', message: 'failed to start: cannot open the thing' })]);
    // Pinned text goes with the goal; the system prompt stays the same from run to run (the server caches it).
    const [system, goal] = ollama.chatRequests[0]!.messages.map((m) => m.content);
    expect(goal).toContain('Remember: the goal was "say hi".');
    expect(goal).toMatch(/## Request\nsay hi$/);
    expect(system).not.toContain('Remember');
    expect(goal).not.toContain('never injected');
    expect(log).toEqual(['prepare 1', 'after 1', 'prepare 2', 'finish completed', 'close broken', 'close good']);
  });

  it('a failing hook fails the run with the capability named', async () => {
    const faulty: RuntimeExtension = {
      name: 'memory',
      hooks: { name: 'memory', prepareMessages: () => { throw new Error('database is locked'); } },
    };
    const runtime = new Runtime({ config: testConfig('', ollama.url), extensions: [faulty], trace: false });
    const result = await runtime.startRun('x').result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'failed', reason: 'memory: database is locked' });
  });
});

describe('run hooks that steer a run', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('beforeStep can stop a run; selectTools narrows what the model is offered', async () => {
    const budget: RuntimeExtension = {
      name: 'policy',
      hooks: {
        name: 'policy',
        beforeStep: ({ step, usage }) => (step > 2 ? `budget: ${usage.promptTokens} prompt tokens used` : undefined),
        selectTools: (tools) => tools.filter((t) => t.name !== 'hidden'),
      },
    };
    const runtime = new Runtime({
      config: testConfig('', ollama.url),
      extensions: [budget],
      tools: [echoTool(), echoTool('hidden')],
      trace: false,
    });
    ollama.script((_request, i) => ({ toolCalls: [{ name: 'echo', arguments: { text: String(i) } }], promptEvalCount: 10 }));
    const result = await runtime.startRun('go').result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'stopped', steps: 2, reason: 'budget: 20 prompt tokens used' });
    expect(ollama.chatRequests[0]!.tools?.map((t) => t.function.name)).toEqual(['echo']);
  });
});
