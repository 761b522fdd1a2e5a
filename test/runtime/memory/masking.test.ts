import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMasking } from '../../../src/runtime/memory/compaction.ts';
import { MASK_MIN_CHARS, maskMessage } from '../../../src/runtime/memory/masking.ts';
import { SqliteMemoryStore } from '../../../src/runtime/memory/index.ts';
import { buildWorkingContext } from '../../../src/runtime/memory/working-context.ts';
import type { ChatMessage } from '../../../src/runtime/model/index.ts';
import type { Tool } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';
import type { ScriptedOllama, ChatRequestBody } from '../../support/scripted-ollama.ts';
import { collect, memoryRuntime, ofType, startOllama, toolResultsFollowCalls } from './support.ts';

const page = (n: number) => `page ${n}: ${'lorem ipsum '.repeat(200)}`;

const turn = (id: string, content: string, args: Record<string, unknown> = { n: id }): ChatMessage[] => [
  { role: 'assistant', content: '', toolCalls: [{ id, name: 'read_page', arguments: args }] },
  { role: 'tool', callId: id, toolName: 'read_page', content },
];

describe('observation masking', () => {
  it('shows a bulky result as a one-line stub with its size and beginning; short results and the message itself stay', () => {
    const [, bulky] = turn('a', page(1));
    const stubbed = maskMessage(bulky!);
    expect(stubbed.content).toBe(`[earlier result set aside: ${page(1).length} characters beginning "${page(1).slice(0, 60).trim()}…"]`);
    expect(stubbed).toMatchObject({ role: 'tool', callId: 'a', toolName: 'read_page' });
    expect(bulky!.content).toBe(page(1)); // the history is not changed
    const [, short] = turn('b', 'x'.repeat(MASK_MIN_CHARS));
    expect(maskMessage(short!)).toBe(short);
  });

  it('clips long string arguments of an older tool call, keeping the call and its other arguments', () => {
    const [call] = turn('a', 'ok', { path: '/tmp/a.txt', text: 'y'.repeat(1000) });
    const shown = maskMessage(call!);
    expect(shown.role === 'assistant' && shown.toolCalls![0]!.arguments).toEqual({ path: '/tmp/a.txt', text: `${'y'.repeat(60)}… [1000 characters]` });
  });

  it('keeps the latest turn verbatim and masks the ones before, every other step (verbatim_turns 1)', () => {
    const history: ChatMessage[] = [{ role: 'system', content: 'You are Rein.' }, { role: 'user', content: 'read three pages' }];
    for (const id of ['a', 'b', 'c']) history.push(...turn(id, page(1)));
    const state = { compactedThrough: 1, recalled: [] };
    expect(planMasking(history.slice(0, 6), state, 1)).toBeUndefined(); // two verbatim turns: not yet
    const through = planMasking(history, state, 1)!;
    expect(through).toBe(6);
    const shown = buildWorkingContext(history, { ...state, maskedThrough: through });
    expect([shown[3]!.content, shown[5]!.content].every((c) => c.startsWith('[earlier result set aside:'))).toBe(true);
    expect(shown[7]!.content).toBe(page(1));
  });

  it('with verbatim_turns 2, masks in batches: at four verbatim turns, down to the latest two', () => {
    const history: ChatMessage[] = [{ role: 'system', content: 'You are Rein.' }, { role: 'user', content: 'goal' }];
    for (const id of ['a', 'b', 'c']) history.push(...turn(id, page(1)));
    const state = { compactedThrough: 1, recalled: [] };
    expect(planMasking(history, state, 2)).toBeUndefined();
    history.push(...turn('d', page(4)));
    expect(planMasking(history, state, 2)).toBe(6); // turns c and d stay verbatim
    expect(planMasking(history, { ...state, maskedThrough: 6 }, 2)).toBeUndefined();
  });
});

describe('observation masking in a run', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await startOllama();
  });
  afterAll(() => ollama.close());

  const readPage: Tool = {
    name: 'read_page',
    description: 'Read one page of the report.',
    parameters: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    capability: 'read',
    source: { kind: 'builtin' },
    run: async (args) => page(Number(args.n)),
  };

  it('sends older pages as stubs and the latest verbatim; events, history and checkpoint keep every page', async () => {
    let step = 0;
    ollama.script((_request: ChatRequestBody) => (++step <= 5 ? { toolCalls: [{ name: 'read_page', arguments: { n: step } }] } : { content: 'read them all' }));
    const config = testConfig('runtime: { loop_window: 20 }', ollama.url);
    const { runtime } = memoryRuntime(config, [readPage]);
    const run = runtime.startRun('Read pages 1 to 5 of the report, one per step.');
    const events = await collect(run.events);
    const result = await run.result;
    expect(result.status).toBe('completed');

    const last = ollama.chatRequests.at(-1)!;
    const results = last.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results.slice(0, 4).every((r) => r.startsWith('[earlier result set aside:'))).toBe(true);
    expect(results[4]).toBe(page(5));
    expect(toolResultsFollowCalls(last)).toBe(true);
    // Each request extends the previous one up to the turn masked at that step (the server re-evaluates little).
    const second = ollama.chatRequests[2]!;
    expect(second.messages.slice(0, 3)).toEqual(ollama.chatRequests[1]!.messages.slice(0, 3));
    // Nothing is lost: the events and the run's history have every page in full.
    expect(ofType(events, 'tool.result').map((e) => e.output)).toEqual([1, 2, 3, 4, 5].map(page));
    expect(result.messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([1, 2, 3, 4, 5].map(page));
    await runtime.close();

    const store = new SqliteMemoryStore(config.memory.path);
    const checkpoint = await store.loadCheckpoint(run.runId);
    expect(checkpoint?.working.maskedThrough).toBeGreaterThan(2);
    await store.close();
  });
});
