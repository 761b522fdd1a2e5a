// The runs section: live runs from the runtime, past ones from the trace folder.
import type { RunEvent, RunSummary, RunsApi } from '../../common/index.ts';
import type { Runtime } from '../runtime.ts';
import { ApiArgumentError } from './errors.ts';
import { readTrace, resumeGoal, summarize, traceDir, tracedRuns } from './run-history.ts';

export function runsSection(runtime: Runtime): RunsApi {
  const resumedFrom = new Map<string, string>();
  /** Summaries of traced runs, re-read only when the file changed. */
  const pastSummaries = new Map<string, { mtime: number; summary: RunSummary }>();
  const pastSummary = ({ id, mtime }: { id: string; mtime: number }): RunSummary => {
    const cached = pastSummaries.get(id);
    if (cached?.mtime === mtime) return cached.summary;
    const summary = summarize(id, readTrace(dir(), id), false);
    pastSummaries.set(id, { mtime, summary });
    return summary;
  };
  const dir = () => traceDir(runtime.config.dataDir);
  const events = (runId: string): RunEvent[] => {
    const live = runtime.getRun(runId);
    return live ? [...live.events.events()] : readTrace(dir(), runId);
  };
  return {
    start: ({ goal }) => {
      if (!goal.trim()) return Promise.reject(new ApiArgumentError('runs.start needs a non-empty goal'));
      return Promise.resolve({ runId: runtime.startRun(goal).runId });
    },
    abort: (runId) => {
      runtime.getRun(runId)?.abort();
      return Promise.resolve();
    },
    resume: async (runId) => {
      const goal = resumeGoal(events(runId));
      const { runId: next } = runtime.startRun(goal);
      resumedFrom.set(next, runId);
      return { runId: next };
    },
    list: async () => {
      const live = runtime.listRuns().reverse();
      const liveIds = new Set(live.map((run) => run.runId));
      const past = tracedRuns(dir()).filter((run) => !liveIds.has(run.id));
      const summaries = [
        ...live.map((run) => ({ ...summarize(run.runId, run.events.events(), true), goal: run.goal })),
        ...past.map(pastSummary),
      ];
      return summaries.map((summary) => {
        const from = resumedFrom.get(summary.runId);
        return from ? { ...summary, resumedFrom: from } : summary;
      });
    },
    events: async (runId) => events(runId),
  };
}
