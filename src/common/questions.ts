// Questions the runtime asks the user (approvals, MCP elicitation, sampling consent) and the answers.
// Every shell (CLI prompt, desktop dialog, `rein serve` client) answers through the same contract.

export type QuestionKind = 'approval' | 'elicitation' | 'sampling';

export interface UserQuestion {
  id: string;
  kind: QuestionKind;
  /** Short line, e.g. "Allow fs__write_file?" */
  title: string;
  /** Full explanation: what, why, which rule asked. */
  message: string;
  /** Who asks: `policy`, an MCP server name, a subagent. */
  source: string;
  runId?: string;
  /** Structured detail for the UI (tool arguments, risk class, …). */
  details?: Record<string, unknown>;
  /** For elicitation: the JSON schema of the requested form. */
  schema?: Record<string, unknown>;
  /** Whether "allow always" may be offered. */
  allowAlways?: boolean;
}

export type UserAnswer =
  | { action: 'accept'; always?: boolean; content?: Record<string, unknown>; by?: string }
  | { action: 'decline'; reason?: string; by?: string }
  | { action: 'cancel'; reason?: string; by?: string };

/** Nobody can answer (headless, no TTY): the safe answer. */
export const NO_ONE_TO_ASK: UserAnswer = { action: 'decline', reason: 'nobody could answer (no interactive user)', by: 'runtime' };
