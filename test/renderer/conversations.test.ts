import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/common/index.ts';
import { conversationRuns, conversationsOf } from '../../src/renderer/src/conversations.ts';

const usage = { promptTokens: 0, completionTokens: 0 };
const run = (runId: string, conversationId: string, startedAt: string, status: RunSummary['status'] = 'completed'): RunSummary => ({
  runId,
  conversationId,
  goal: `goal of ${runId}`,
  status,
  startedAt,
  usage,
});

// as runs.list returns them: newest first
const runs = [run('c', 'a', '2026-01-01T00:03:00Z', 'running'), run('x', 'x', '2026-01-01T00:02:00Z'), run('b', 'a', '2026-01-01T00:01:00Z'), run('a', 'a', '2026-01-01T00:00:00Z')];

describe('conversations in the sessions list', () => {
  it('groups runs by conversation, titled by the first goal, continuing from the newest run', () => {
    expect(conversationsOf(runs).map(({ id, title, latest, runIds }) => ({ id, title, latest: latest.runId, runIds }))).toEqual([
      { id: 'a', title: 'goal of a', latest: 'c', runIds: ['a', 'b', 'c'] },
      { id: 'x', title: 'goal of x', latest: 'x', runIds: ['x'] },
    ]);
  });

  it('lists a run\'s conversation oldest first, and a run not listed yet on its own', () => {
    expect(conversationRuns(runs, 'b')).toEqual(['a', 'b', 'c']);
    expect(conversationRuns(runs, 'new')).toEqual(['new']);
  });
});
