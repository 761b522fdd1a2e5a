import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/common/index.ts';
import { conversationRuns, conversationsOf, threadOf } from '../../src/renderer/src/conversations.ts';

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

describe('a conversation with edited turns (threadOf)', () => {
  // a → b → c; b2 is an edit of b (also after a); c2 follows b2
  const views: Record<string, { started: boolean; continues?: string }> = {
    a: { started: true },
    b: { started: true, continues: 'a' },
    c: { started: true, continues: 'b' },
    b2: { started: true, continues: 'a' },
    c2: { started: true, continues: 'b2' },
  };
  const ordered = ['a', 'b', 'c', 'b2', 'c2'];
  it('shows the selected branch with the versions of each turn, and lands on a version\'s newest follow-up', () => {
    const thread = threadOf(ordered, 'c', (id) => views[id]);
    expect(thread.path).toEqual(['a', 'b', 'c']);
    expect(thread.versions.b).toEqual(['b', 'b2']);
    expect(thread.versions.a).toEqual(['a']);
    expect(thread.leafOf('b2')).toBe('c2');
    expect(thread.leafOf('b')).toBe('c');
    expect(threadOf(ordered, 'c2', (id) => views[id]).path).toEqual(['a', 'b2', 'c2']);
  });
  it('a run not loaded yet follows the run before it', () => {
    expect(threadOf(['a', 'b', 'c'], 'c', () => undefined).path).toEqual(['a', 'b', 'c']);
  });
});
