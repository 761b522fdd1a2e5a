import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import type { ChatMessage } from '../../../src/runtime/model/index.ts';
import { restoreState } from '../../../src/runtime/memory/resume-state.ts';
import type { Checkpoint } from '../../../src/runtime/memory/index.ts';

const base = { runId: 'run_x', time: '2026-01-01T00:00:00.000Z' };
const fresh: ChatMessage[] = [
  { role: 'system', content: 'sys' },
  { role: 'user', content: 'goal' },
];
const checkpoint: Checkpoint = {
  sessionId: 'run_x',
  step: 1,
  seq: 5,
  run: { messages: [...fresh, { role: 'assistant', content: '', toolCalls: [{ id: 's1_call_1', name: 'a', arguments: {} }] }, { role: 'tool', callId: 's1_call_1', toolName: 'a', content: 'A' }], step: 1, usage: { promptTokens: 10, completionTokens: 2 }, reflections: 1 },
  working: { compactedThrough: 2, recalled: [] },
};

describe('restoring an interrupted run', () => {
  it('a run killed during its first model turn starts that turn again', () => {
    const after: RunEvent[] = [{ ...base, seq: 2, type: 'model.delta', step: 1, text: 'thinking about' }];
    expect(restoreState(undefined, fresh, after)).toEqual({ run: { messages: fresh, step: 0, usage: { promptTokens: 0, completionTokens: 0 }, reflections: 0 }, working: { compactedThrough: 1, recalled: [] } });
  });

  it('a step whose calls all finished before the kill counts as done, with its text, results and usage', () => {
    const after: RunEvent[] = [
      { ...base, seq: 6, type: 'model.delta', step: 2, text: 'Let me check.' },
      { ...base, seq: 7, type: 'model.completed', step: 2, usage: { promptTokens: 20, completionTokens: 3 }, toolCalls: 1, durationMs: 1 },
      { ...base, seq: 8, type: 'tool.called', step: 2, callId: 's2_call_1', name: 'b', args: { q: 1 } },
      { ...base, seq: 9, type: 'tool.result', step: 2, callId: 's2_call_1', name: 'b', ok: false, error: 'boom', durationMs: 1 },
    ];
    const { run, working } = restoreState(checkpoint, fresh, after);
    expect(run.step).toBe(2);
    expect(run.interrupted).toBeUndefined();
    expect(run.usage).toEqual({ promptTokens: 30, completionTokens: 5 });
    expect(run.reflections).toBe(1);
    expect(run.messages.slice(4)).toEqual([
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 's2_call_1', name: 'b', arguments: { q: 1 } }] },
      { role: 'tool', callId: 's2_call_1', toolName: 'b', content: 'Error: boom' },
    ]);
    expect(working).toBe(checkpoint.working);
    expect(checkpoint.run.messages).toHaveLength(4); // the checkpoint itself is not changed
  });
});
