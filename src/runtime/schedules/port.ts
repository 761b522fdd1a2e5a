// What the scheduler needs from the host: start/resume runs, see their events, deny approvals. It is a client of
// the API contract, so scheduled runs are ordinary runs every client sees.
import type { ApiEvent, RunEvent, RunState, RuntimeApi } from '../../common/index.ts';

export interface RunPort {
  start(request: { goal: string; model?: string }): Promise<{ runId: string }>;
  resume(runId: string): Promise<{ runId: string }>;
  /** Where the run stands in this host: running, ended (completed/failed/stopped), interrupted, or unknown. */
  state(runId: string): Promise<{ status: RunState; reason?: string } | undefined>;
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
    start: (request) => api.runs.start(request),
    resume: (runId) => api.runs.resume(runId),
    state: async (runId) => {
      const run = (await api.runs.list()).find((r) => r.runId === runId);
      return run && { status: run.status, ...(run.reason ? { reason: run.reason } : {}) };
    },
    onRunEvent: (listener) => api.onEvent((event) => (isRunEvent(event) ? listener(event) : undefined)),
    denyApproval: (id, reason) => api.approvals.decide(id, { action: 'deny', scope: 'once', reason }),
    skillProblem: async (name) => {
      try {
        const skill = (await api.skills.get(name)) as { approved?: boolean } | undefined;
        return skill?.approved === false ? `skill "${name}" is not approved yet (rein skills approve ${name})` : undefined;
      } catch (error) {
        return `skill "${name}" cannot be run: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}
