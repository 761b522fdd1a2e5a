// What the scheduler needs from the process that runs a slot: start/resume runs, see their events, deny approvals.
// A host's is a client of the API contract, so scheduled runs are ordinary runs every client sees; a worker's runs
// them on its own runtime (src/worker).
import type { ApiEvent, RunEvent, RunState, RuntimeApi } from '../../common/index.ts';
import { ApiNotFoundError } from '../api/index.ts';

export interface RunPort {
  /** `runId`: the id the run should get, where the port can honour it (a worker's); the API names its own runs. */
  start(request: { goal: string; model?: string; runId?: string }): Promise<{ runId: string }>;
  /** Continues the run from its checkpoint; undefined when no such run was ever logged. */
  resume(runId: string): Promise<{ runId: string } | undefined>;
  /** Where the run stands in this process: running, ended (completed/failed/stopped), interrupted, or unknown. */
  state(runId: string): Promise<{ status: RunState; reason?: string } | undefined>;
  abort(runId: string): Promise<void>;
  onRunEvent(listener: (event: RunEvent) => void): () => void;
  denyApproval(id: string, reason: string): Promise<void>;
  /** Undefined when the skill exists, else why it cannot be run. */
  skillProblem(name: string): Promise<string | undefined>;
}

function isRunEvent(event: ApiEvent): event is RunEvent {
  return 'runId' in event && 'seq' in event;
}

export function apiRunPort(api: RuntimeApi): RunPort {
  return {
    start: ({ goal, model }) => api.runs.start({ goal, ...(model ? { model } : {}) }),
    resume: async (runId) => {
      try {
        return await api.runs.resume(runId);
      } catch (error) {
        if (error instanceof ApiNotFoundError) return undefined;
        throw error;
      }
    },
    state: async (runId) => {
      const run = (await api.runs.list()).find((r) => r.runId === runId);
      return run && { status: run.status, ...(run.reason ? { reason: run.reason } : {}) };
    },
    abort: (runId) => api.runs.abort(runId),
    onRunEvent: (listener) => api.onEvent((event) => (isRunEvent(event) ? listener(event) : undefined)),
    denyApproval: (id, reason) => api.approvals.decide(id, { action: 'deny', scope: 'once', reason }),
    skillProblem: (name) => skillProblemOf(name, (n) => api.skills.get(n)),
  };
}

/** Why a schedule's skill cannot run (not approved, unknown), or undefined. */
export async function skillProblemOf(name: string, get: (name: string) => Promise<unknown>): Promise<string | undefined> {
  try {
    const skill = (await get(name)) as { approved?: boolean } | undefined;
    return skill?.approved === false ? `skill "${name}" is not approved yet (rein skills approve ${name})` : undefined;
  } catch (error) {
    return `skill "${name}" cannot be run: ${error instanceof Error ? error.message : String(error)}`;
  }
}
