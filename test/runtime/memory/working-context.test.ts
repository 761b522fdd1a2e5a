import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenEstimator } from '../../../src/runtime/memory/index.ts';
import { summarise } from '../../../src/runtime/memory/compaction.ts';
import { buildWorkingContext, droppedTurns, goalIndex, turnStarts } from '../../../src/runtime/memory/working-context.ts';
import { createModelClient, type ChatMessage } from '../../../src/runtime/model/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';

const history: ChatMessage[] = [
  { role: 'system', content: 'You are Rein.' },
  { role: 'user', content: 'the goal' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'x', arguments: {} }, { id: 'b', name: 'y', arguments: {} }] },
  { role: 'tool', callId: 'a', toolName: 'x', content: 'one' },
  { role: 'tool', callId: 'b', toolName: 'y', content: 'two' },
  { role: 'user', content: 'reflection' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'x', arguments: {} }] },
  { role: 'tool', callId: 'c', toolName: 'x', content: 'three' },
];

describe('working context', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('pins the system prompt, the goal with recalled notes, and the summary ahead of the verbatim turns', () => {
    const built = buildWorkingContext(history, { compactedThrough: 5, summary: 'did x and y', recalled: [{ id: 7, content: 'a fact', kind: 'fact' }] });
    expect(built[0]!.content).toBe('You are Rein.'); // the same from run to run: the server keeps it cached
    const goal = { role: 'user', content: 'Notes from memory that may help (from earlier sessions):\n- [note 7] a fact\n\n## Request\nthe goal' };
    const summary = { role: 'user', content: 'Summary of the earlier steps of this run (older turns were compacted):\ndid x and y' };
    expect(built.slice(1)).toEqual([goal, summary, ...history.slice(5)]);
  });

  it('groups a tool call with all of its results into one turn', () => {
    expect(turnStarts(history, 2)).toEqual([2, 5, 6]);
  });

  it('keeps the new goal pinned in a conversation while earlier exchanges and later turns are compacted', () => {
    const conversation: ChatMessage[] = [
      { role: 'system', content: 'You are Rein.' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'follow-up' },
      ...history.slice(2),
    ];
    const goalAt = goalIndex(conversation, 'follow-up');
    expect(goalAt).toBe(3);
    expect(goalIndex(history, 'the goal')).toBe(1);
    const fresh = { compactedThrough: 1, goalAt, recalled: [] };
    expect(buildWorkingContext(conversation, fresh)).toEqual(conversation);
    expect(turnStarts(conversation, 1, goalAt)).toEqual([1, 2, 4, 7, 8]);
    // compacting the earlier exchange and the first tool turn: the goal stays, right before the remaining turns
    const state = { ...fresh, compactedThrough: 7, summary: 'asked and answered; called x and y' };
    expect(buildWorkingContext(conversation, state).slice(1)).toEqual([conversation[3], expect.objectContaining({ role: 'user', content: expect.stringContaining('asked and answered') }), ...conversation.slice(7)]);
    expect(droppedTurns(conversation, fresh, 7)).toEqual([conversation[1], conversation[2], ...conversation.slice(4, 7)]);
  });

  it('calibrates estimates against the model\'s counts, ignoring implausible ones (cached prompts)', () => {
    const tokens = new TokenEstimator();
    const raw = tokens.raw(history);
    tokens.calibrate(raw, 10); // Ollama reused its cache and counted only a few tokens: not a calibration
    expect(tokens.estimate(history)).toBe(raw);
    for (let i = 0; i < 20; i++) tokens.calibrate(raw, Math.round(raw * 1.5));
    expect(tokens.calibration).toBeCloseTo(1.5, 2);
    expect(tokens.estimate(history)).toBe(Math.ceil(raw * tokens.calibration));
  });

  it('does not ask the model to summarise what would overflow its budget: truncates deterministically instead', async () => {
    const model = createModelClient(testConfig('', ollama.url).model);
    const dropped: ChatMessage[] = Array.from({ length: 40 }, (_, i) => ({ role: 'tool', callId: `c${i}`, toolName: 'read', content: `line ${i} ${'x'.repeat(400)}` }));
    const summary = await summarise({ model, previous: 'before', dropped, budget: 300, timeoutMs: 10_000, signal: new AbortController().signal });
    expect(summary).toMatchObject({ method: 'truncation', fallbackReason: 'the turns to summarise exceed the budget' });
    expect(ollama.chatRequests).toHaveLength(0);
    expect(summary.text.length).toBeLessThanOrEqual(400);
    expect(summary.text).toContain('read returned: line 39');
  });
});
