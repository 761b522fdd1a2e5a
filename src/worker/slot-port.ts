// How a worker runs a schedule slot: on its own runtime, under the run id the slot's claim gave it, so a worker
// taking the slot over resumes that very session from its checkpoint.
import { MemoryNotFoundError, skillProblemOf, type RunPort, type Runtime } from '../runtime/index.ts';

export function runtimePort(runtime: Runtime): RunPort {
  return {
    start: async ({ goal, model, runId }) => ({ runId: runtime.startRun(goal, { ...(runId ? { runId } : {}), ...(model ? { model } : {}) }).runId }),
    resume: async (runId) => {
      try {
        return { runId: (await runtime.resumeRun(runId)).runId };
      } catch (error) {
        if (error instanceof MemoryNotFoundError) return undefined; // its holder stopped before the run was logged
        throw error;
      }
    },
    state: async (runId) => {
      if (runtime.isLive(runId)) return { status: 'running' };
      const events = await runtime.services.memory?.episodes(runId).catch(() => undefined);
      if (!events) return undefined;
      const end = events.findLast((e) => e.type === 'run.finished');
      if (end?.type !== 'run.finished') return { status: 'interrupted' };
      return { status: end.status, ...(end.reason ? { reason: end.reason } : {}) };
    },
    abort: async (runId) => runtime.getRun(runId)?.abort('the slot\'s lease was lost to another host or worker'),
    onRunEvent: (listener) => runtime.onEvent(listener),
    denyApproval: async (id, reason) => {
      await runtime.services.approvals?.decide(id, { action: 'deny', scope: 'once', reason });
    },
    skillProblem: (name) => {
      const skills = runtime.services.skills;
      return skills ? skillProblemOf(name, (n) => skills.get(n)) : Promise.resolve(`skill "${name}" cannot be run: this worker has no skills capability`);
    },
  };
}
