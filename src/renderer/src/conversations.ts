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

/** A conversation as a tree: each run follows up on its parent (`continues`); edits and regenerations are siblings. */
export interface Thread {
  /** The runs shown, oldest first, ending at the selected run. */
  path: string[];
  /** Per shown run: the versions of that turn (itself and its siblings), oldest first. */
  versions: Record<string, string[]>;
  /** The newest run under `runId` (itself if nothing follows it): where switching to a version lands. */
  leafOf: (runId: string) => string;
}

/**
 * `ordered`: the conversation's run ids, oldest first. `parentOf` answers from the run's recorded start; a run not
 * loaded yet is assumed to follow the run before it.
 */
export function threadOf(ordered: readonly string[], runId: string, known: (id: string) => { started?: boolean; continues?: string } | undefined): Thread {
  const parentOf = (id: string): string | undefined => {
    const view = known(id);
    if (view?.started) return view.continues && ordered.includes(view.continues) ? view.continues : undefined;
    const i = ordered.indexOf(id);
    return i > 0 ? ordered[i - 1] : undefined;
  };
  const path: string[] = [];
  for (let id: string | undefined = runId; id && !path.includes(id); id = parentOf(id)) path.unshift(id);
  const versions: Record<string, string[]> = {};
  for (const id of path) versions[id] = ordered.filter((other) => parentOf(other) === parentOf(id));
  const descends = (id: string, ancestor: string): boolean => {
    for (let at: string | undefined = id, hops = 0; at && hops <= ordered.length; at = parentOf(at), hops++) if (at === ancestor) return true;
    return false;
  };
  const leafOf = (id: string) => ordered.findLast((other) => descends(other, id)) ?? id;
  return { path, versions, leafOf };
}
