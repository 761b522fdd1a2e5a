// How a capability plugs into the runtime: it starts with access to the shared parts, adds tools,
// middleware and run hooks, and closes cleanly. Capabilities are listed in extensions.ts.
import type { RunEvent, SystemEvent, SystemEventInput, UserAnswer, UserQuestion } from '../common/index.ts';
import type { ReinConfig } from './config/index.ts';
import type { RunHooks, RunState } from './loop/index.ts';
import type { ModelClient } from './model/index.ts';
import type { ToolGuard, ToolRegistry } from './tools/index.ts';

export interface ExtensionHost {
  config: ReinConfig;
  model: ModelClient;
  /** The client of a named model (`name`, `<provider id>:name`, `<kind>:name`), e.g. a subagent role's. */
  modelFor(ref: string): ModelClient;
  registry: ToolRegistry;
  guard: ToolGuard;
  /** Reports status outside any run (e.g. "MCP server fs failed: …"). */
  notify(event: SystemEventInput): void;
  /** Asks the user through the shell's channel; declines when nobody can answer. */
  ask(question: UserQuestion, signal?: AbortSignal): Promise<UserAnswer>;
  /** Every event of every run (e.g. for the episodic log); returns an unsubscribe function. */
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Every event outside runs (e.g. a schedule started a run); returns an unsubscribe function. */
  onSystemEvent(listener: (event: SystemEvent) => void): () => void;
  /** True once the runtime is closing: runs ending now were interrupted by the shutdown, not stopped by anyone. */
  readonly closing: boolean;
}

/** Where an interrupted session continues: its goal, the seq of its last logged event, and the run state. */
export interface ResumePoint {
  goal: string;
  lastSeq: number;
  state: RunState;
}

/** Provided by the shell (CLI prompt, desktop dialog); the runtime's default declines. */
export type Asker = (question: UserQuestion, signal?: AbortSignal) => Promise<UserAnswer>;

export interface RuntimeExtension {
  readonly name: string;
  /** Runs are refused while it is not started (the audit log, the policy: nothing runs unaudited or unguarded). */
  readonly essential?: boolean;
  /** Called once by runtime.start(); extensions start concurrently and one failing never blocks the others. */
  start?(host: ExtensionHost): Promise<void> | void;
  /** Run hooks, used only if start() succeeded. */
  readonly hooks?: RunHooks;
  /** Offered by the capability that keeps sessions (memory): where session `sessionId` continues. Throws if it cannot. */
  resumeSession?(sessionId: string): Promise<ResumePoint> | ResumePoint;
  close?(): Promise<void> | void;
}
