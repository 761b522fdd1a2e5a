import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { emptyRun, foldEvent } from '../../src/renderer/src/run-state.ts';

const base = { runId: 'run_1', time: '2026-01-01T00:00:00.000Z' };
const usage = { promptTokens: 1, completionTokens: 1 };

describe('run view', () => {
  it('a resumed session runs again in the same view, keeping what it showed before', () => {
    const events: RunEvent[] = [
      { ...base, seq: 1, type: 'run.started', goal: 'g', model: 'm', provider: 'ollama', tools: [] },
      { ...base, seq: 2, type: 'model.delta', step: 1, text: 'partial' },
      { ...base, seq: 3, type: 'run.finished', status: 'stopped', reason: 'stopped by the user', steps: 1, usage, durationMs: 5 },
    ] as RunEvent[];
    const stopped = events.reduce(foldEvent, emptyRun('run_1'));
    expect(stopped.finished?.status).toBe('stopped');
    const resumed = foldEvent(stopped, { ...base, seq: 4, type: 'run.resumed', goal: 'g', fromStep: 0, model: 'm', provider: 'ollama', tools: [] } as RunEvent);
    expect(resumed.finished).toBeUndefined();
    expect(resumed.items).toEqual(stopped.items);
  });

  it('a compaction shows as a readable marker between turns', () => {
    const event = { ...base, seq: 5, type: 'memory.compacted', step: 30, turnsRemoved: 12, tokensBefore: 5530, tokensAfter: 1804, noteId: 7, method: 'model' } as RunEvent;
    expect(foldEvent(emptyRun('run_1'), event).items).toEqual([{ kind: 'compaction', message: 'summarised 12 turns into note 7 (5,530 → 1,804 tokens)' }]);
  });
});
