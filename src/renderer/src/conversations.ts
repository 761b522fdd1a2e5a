// Groups runs into conversations (runs that continue one another share `conversationId`).
import type { RunSummary } from '../../common/index.ts';

export interface Conversation {
  id: string;
  /** The first run's goal. */
  title: string;
  /** The newest run: the one a follow-up continues. */
  latest: RunSummary;
  /** Run ids, oldest first. */
  runIds: string[];
}

const byStart = (a: RunSummary, b: RunSummary) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '');

/** One entry per conversation, the most recently active first (as the run list is ordered). */
export function conversationsOf(runs: readonly RunSummary[]): Conversation[] {
  const groups = new Map<string, RunSummary[]>();
  for (const run of runs) groups.set(run.conversationId, [...(groups.get(run.conversationId) ?? []), run]);
  return [...groups].map(([id, group]) => {
    const ordered = [...group].sort(byStart);
    return { id, title: ordered[0]!.goal, latest: ordered.at(-1)!, runIds: ordered.map((r) => r.runId) };
  });
}

/** The runs of `runId`'s conversation, oldest first (just `runId` while it is not listed yet). */
export function conversationRuns(runs: readonly RunSummary[], runId: string): string[] {
  const conversationId = runs.find((r) => r.runId === runId)?.conversationId;
  const ids = conversationId ? runs.filter((r) => r.conversationId === conversationId).sort(byStart).map((r) => r.runId) : [];
  return ids.includes(runId) ? ids : [...ids, runId];
}
