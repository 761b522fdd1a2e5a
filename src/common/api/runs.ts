// Runs: start, stop, resume and browse agent runs (each run is one chat turn; its events are its trace). Runs that
// continue one another form a conversation: a follow-up sees the earlier goals and answers.
import type { RunEvent, RunStatus, Usage } from '../events.ts';

export interface StartRunRequest {
  goal: string;
  /** Continue the conversation of this finished run: the new run sees its goals and answers so far. */
  continueFrom?: string;
  /**
   * Another version of this run's turn (edit-and-resend, regenerate): the new run follows the same earlier turns in
   * the same conversation, so both versions stay reachable. Ignored when `continueFrom` is given.
   */
  branchOf?: string;
  /** Run with this model (same provider and host) instead of the configured one; other runs are unaffected. */
  model?: string;
  /** A role from agents.roles (its system prompt and tool subset), as `run_agent` over MCP names one. */
  role?: string;
  /**
   * Started for another agent (`run_agent` of `rein mcp`): the host allows at most agents.max_served_runs of these at
   * once, over every `rein mcp` process; one more is refused ("busy: …").
   */
  served?: boolean;
}

export interface StartRunResponse {
  runId: string;
}

/** `interrupted`: the trace ends without `run.finished` (the app was closed mid-run); it can be resumed. */
export type RunState = RunStatus | 'running' | 'interrupted';

export interface RunSummary {
  runId: string;
  goal: string;
  status: RunState;
  startedAt?: string;
  model?: string;
  answer?: string;
  reason?: string;
  usage: Usage;
  /** Set when this run continues an interrupted one. */
  resumedFrom?: string;
  /** The id of the conversation's first run (its own id for a run that starts a conversation). */
  conversationId: string;
  /** The user's verdict on its answer (thumbs in the chat, `rein feedback`). */
  feedback?: RunFeedback;
}

export type FeedbackVerdict = 'good' | 'bad';

export interface RunFeedback {
  verdict: FeedbackVerdict;
  reason?: string;
  /** ISO time it was given. */
  at: string;
}

export interface RunsApi {
  start(request: StartRunRequest): Promise<StartRunResponse>;
  abort(runId: string): Promise<void>;
  /**
   * Continues an interrupted, stopped or failed run. With memory: the same session from its last checkpoint (same
   * runId, seq numbers continue). Fallback without memory: a new run whose goal restates the old one and its tool
   * results (`resumedFrom` links them).
   */
  resume(runId: string): Promise<StartRunResponse>;
  /** Live runs, then past ones (memory's sessions of every process, else the trace folder), newest first. */
  list(): Promise<RunSummary[]>;
  /** Every event of one run (live or from its trace file). */
  events(runId: string): Promise<RunEvent[]>;
  /**
   * The user's verdict on a finished run (any run, with or without skills); a second verdict replaces the first.
   * The skills the run used are scored by it too; returns their names.
   */
  feedback(runId: string, verdict: FeedbackVerdict, reason?: string): Promise<{ feedback: RunFeedback; skills: string[] }>;
}
