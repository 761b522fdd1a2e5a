// Extension points of a run. Capabilities (memory, skills, policy, …) plug in here; the loop stays the same.
import type { RunEventInput, Usage } from '../../common/index.ts';
import type { ChatMessage, ToolSpec } from '../model/index.ts';
import type { RunResult } from './run-loop.ts';

/** Strings: context given with the goal; `{ system }`: text for the system prompt. */
export type PinnedText = string[] | { system?: string[]; context?: string[] };

export interface RunContext {
  runId: string;
  goal: string;
  signal: AbortSignal;
  emit: (event: RunEventInput) => void;
  /** Stops the run now, even inside a step (status `stopped` with this reason), e.g. a wall-time budget. */
  stop: (reason: string) => void;
}

export interface StepContext extends RunContext {
  step: number;
  /** Tokens used by the run so far. */
  usage: Usage;
  /**
   * For selectTools: the prepared prompt does not extend the previous step's (first step, compaction), so the server
   * evaluates it anew and the tool set may be chosen afresh. Otherwise tools should only be appended (cache reuse).
   */
  freshPrefix?: boolean;
  /** For prepareMessages: the tools offered at the previous step (they take room in the prompt too). */
  offeredTools?: readonly ToolSpec[];
  /** For prepareMessages: the model server reported that the last prompt overflowed its context; shrink it. */
  overflow?: boolean;
}

export interface RunHooks {
  /** Name of the capability, used in error messages. */
  name: string;
  /**
   * Before the first step. Returned text is pinned for the whole run: plain strings go with the goal, as context for
   * this request (skill instructions, document sources) — the system prompt stays the same from run to run, so the
   * model server reuses it (and a conversation's earlier turns) from its cache; `system` text joins the system prompt
   * (e.g. a role's prompt).
   */
  onRunStart?(context: RunContext): Promise<PinnedText | void> | PinnedText | void;
  /** Before each step: return a reason to stop the run (status `stopped`), e.g. a budget is spent. */
  beforeStep?(context: StepContext): Promise<string | void> | string | void;
  /** Before each model call, after prepareMessages: may narrow the tools offered (e.g. the most relevant MCP tools). */
  selectTools?(tools: ToolSpec[], messages: readonly ChatMessage[], context: StepContext): Promise<ToolSpec[]> | ToolSpec[];
  /** Before each model call: may rewrite what is sent (working memory, compaction). The run's history is not changed. */
  prepareMessages?(messages: ChatMessage[], context: StepContext): Promise<ChatMessage[]> | ChatMessage[];
  /** After each step's tool results (and any loop reflection) are in, e.g. to checkpoint. */
  afterStep?(messages: readonly ChatMessage[], context: StepContext): Promise<void> | void;
  /** Once, before run.finished is emitted (keep it quick: the run's answer waits). Errors are reported, never change the result. */
  onRunFinish?(result: RunResult, context: RunContext): Promise<void> | void;
  /** Once, right after run.finished; not awaited: background work (e.g. learning a skill) reports on its own. */
  afterRunFinished?(result: RunResult, context: RunContext): void;
}
