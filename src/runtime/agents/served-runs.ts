// Where `run_agent` calls run: in this process's runtime, or (the CLI provides it) in the running host of the data
// dir, so served runs show in the desktop app and use the host's database and MCP connections.
import type { RunEvent, UserAnswer, UserQuestion } from '../../common/index.ts';
import { errorMessage } from '../base/index.ts';
import type { RunLauncher } from '../launcher/index.ts';
import type { AgentsExtension, SkillSummary } from './extension.ts';
import type { RunOutput } from './run-output.ts';

export interface ServedRunRequest {
  goal: string;
  role?: string;
  signal: AbortSignal;
  /** Every event of the run, in order. */
  onEvent(event: RunEvent): void;
  /** A question the run raises (approval, elicitation): the client that called run_agent answers it. */
  ask(question: UserQuestion, signal?: AbortSignal): Promise<UserAnswer>;
}

export interface ServedRuns {
  /** agents.max_served_runs */
  readonly maxRuns: number;
  listSkills(): Promise<{ skills: SkillSummary[]; note?: string }>;
  /** Runs to the end; throws for a bad request (e.g. an unknown role). */
  run(request: ServedRunRequest): Promise<RunOutput>;
}

/** Runs in this process's runtime; a run's questions go to the client that called run_agent. */
export function localServedRuns(runtime: RunLauncher, agents?: AgentsExtension): ServedRuns {
  return {
    maxRuns: runtime.config.agents.max_served_runs,
    listSkills: async () => agents?.listSkills() ?? { skills: [], note: 'no skill registry is connected' },
    run: async ({ goal, role, signal, onEvent, ask }) => {
      if (role) agents?.checkRole(role);
      const run = runtime.startRun(goal, { signal, ask });
      if (role) agents?.assignRole(run.runId, role);
      const unsubscribe = run.events.subscribe(onEvent);
      try {
        const result = await run.result;
        return {
          status: result.status,
          ...(result.answer !== undefined ? { answer: result.answer } : {}),
          ...(result.reason ? { reason: result.reason } : {}),
          steps: result.steps,
          usage: result.usage,
          sessionId: run.runId,
        };
      } catch (error) {
        return { status: 'failed', reason: errorMessage(error), steps: 0, usage: { promptTokens: 0, completionTokens: 0 }, sessionId: run.runId };
      } finally {
        unsubscribe();
      }
    },
  };
}
