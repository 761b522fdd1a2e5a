// The runs section: live runs from the runtime, past ones from memory's sessions (every process sharing the memory
// database) or, without memory, from the trace folder.
import type { MemorySession, RunEvent, RunSummary, RunsApi } from '../../common/index.ts';
import { AgentsExtension } from '../agents/index.ts';
import { createRedactor, errorMessage } from '../base/index.ts';
import type { RunHandle } from '../launcher/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { SkillsExtension } from '../skills/index.ts';
import { conversationStore } from './conversation-store.ts';
import { FeedbackStore, recordFeedback } from './feedback-store.ts';
import { branch, continuation } from './conversation.ts';
import { ApiArgumentError, ApiNotFoundError } from './errors.ts';
import { readTrace, resumeGoal, summarize, traceDir, tracedRuns } from './run-history.ts';

export function runsSection(runtime: ApiRuntime): RunsApi {
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
  const events = async (runId: string): Promise<RunEvent[]> => {
    const live = runtime.getRun(runId);
    const memory = runtime.services.memory;
    if (live) {
      const current = [...live.events.events()];
      const first = current[0];
      if (first?.type !== 'run.resumed' || !memory) return current;
      // A resumed session: what it logged before this process continued it, then the live events.
      return [...(await memory.episodes(runId)).filter((e) => e.seq < first.seq), ...current];
    }
    if (!memory) return readTrace(dir(), runId);
    return memory.episodes(runId).catch((error: unknown) => {
      if (error instanceof ApiNotFoundError) return readTrace(dir(), runId); // traced before memory was on
      throw error;
    });
  };
  const past = async (liveIds: Set<string>): Promise<RunSummary[]> => {
    const memory = runtime.services.memory;
    if (memory) return (await memory.sessions()).filter((s) => !liveIds.has(s.id)).map(sessionSummary);
    return tracedRuns(dir()).filter((run) => !liveIds.has(run.id)).map(pastSummary);
  };
  /**
   * Without memory (its fallback only): a new run whose goal restates the old one with its tool results so far.
   * With memory, the same session continues from its last checkpoint: same runId, seq numbers continue.
   */
  const restart = async (runId: string) => {
    const goal = resumeGoal(await events(runId));
    const { runId: next } = runtime.startRun(goal);
    resumedFrom.set(next, runId);
    return { runId: next };
  };
  /** Live runs started for other agents (`served`), over every client of this runtime. */
  const served = new Set<string>();
  return {
    start: async ({ goal, continueFrom, branchOf, model, role, served: forAgent }) => {
      if (typeof goal !== 'string' || !goal.trim()) throw new ApiArgumentError('runs.start needs a non-empty goal');
      const limit = runtime.config.agents.max_served_runs;
      if (forAgent && served.size >= limit) {
        throw new ApiArgumentError(`busy: ${served.size} run_agent calls are already running on this host (agents.max_served_runs: ${limit}); try again when one has finished`);
      }
      if (model !== undefined && (typeof model !== 'string' || !model.trim())) throw new ApiArgumentError('runs.start: model must be a model name');
      const options = model ? { model } : {};
      const agents = role ? runtime.extensionOf(AgentsExtension) : undefined;
      if (role) {
        if (!agents) throw new ApiArgumentError(`runs.start: role "${role}" needs the agents capability, which this host does not run`);
        try {
          agents.checkRole(role);
        } catch (error) {
          throw new ApiArgumentError(errorMessage(error));
        }
      }
      const started = (run: RunHandle) => {
        if (role) agents!.assignRole(run.runId, role); // before its first step, which starts asynchronously
        if (forAgent) {
          served.add(run.runId);
          void run.result.finally(() => served.delete(run.runId)).catch(() => undefined);
        }
        return { runId: run.runId };
      };
      if (!continueFrom && branchOf) return started(runtime.startRun(goal, { ...(await branch(branchOf, events)), ...options }));
      if (!continueFrom) return started(runtime.startRun(goal, options));
      return started(runtime.startRun(goal, { ...(await continuation(continueFrom, events)), ...options }));
    },
    abort: (runId) => {
      runtime.getRun(runId)?.abort();
      return Promise.resolve();
    },
    resume: async (runId) => {
      if (!runtime.services.memory) return restart(runId);
      if (runtime.isLive(runId)) throw new ApiArgumentError(`run ${runId} is still running`);
      await runtime.services.memory.episodes(runId); // not_found for an unknown session
      return { runId: (await runtime.resumeRun(runId)).runId };
    },
    list: async () => {
      const live = runtime.listRuns().reverse();
      const redact = createRedactor(runtime.config.secrets); // as the stored session has it
      const summaries = [
        ...live.map((run) => ({ ...summarize(run.runId, run.events.events(), true), goal: redact(run.goal) })),
        ...(await past(new Set(live.map((run) => run.runId)))),
      ];
      const removed = await (await conversationStore(runtime.config)).removed();
      const verdicts = new FeedbackStore(runtime.config.dataDir).all();
      return summaries.filter((summary) => !removed.has(summary.conversationId)).map((summary) => {
        const from = resumedFrom.get(summary.runId);
        const feedback = verdicts[summary.runId];
        return { ...summary, ...(from ? { resumedFrom: from } : {}), ...(feedback ? { feedback } : {}) };
      });
    },
    events,
    feedback: async (runId, verdict, reason) => {
      const recorded = await events(runId); // not_found for an unknown run
      if (!recorded.some((e) => e.type === 'run.finished')) throw new ApiArgumentError(`run ${runId} has not finished, so it has no answer to judge yet`);
      return recordFeedback(runtime.config.dataDir, runtime.extensionOf(SkillsExtension)?.library, runId, verdict, reason);
    },
  };
}

function sessionSummary(session: MemorySession): RunSummary {
  const { id, goal, status, startedAt, model, usage, conversationId } = session;
  return { runId: id, goal, status, startedAt, usage, conversationId: conversationId ?? id, ...(model ? { model } : {}) };
}
