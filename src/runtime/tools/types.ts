import type { JsonSchema } from '../model/index.ts';

/** What a tool may do; policy (later) asks before write/network/execute and allows read. */
export type Capability = 'read' | 'write' | 'network' | 'execute';

/** Where a tool comes from; tools from every source share one registry and one guarded path. */
export type ToolSource = { kind: 'builtin' } | { kind: 'mcp'; server: string } | { kind: 'skill'; skill: string };

export interface ToolContext {
  runId: string;
  callId: string;
  /** Aborted on timeout, run abort or shutdown. Tools must honour it. */
  signal: AbortSignal;
  /** Reports progress of a long call (emitted as a `tool.progress` event). */
  progress?(update: ToolProgress): void;
  /**
   * Calls another tool from inside this one, through the same guarded path (events, middleware, timeout).
   * `signal` may end the nested call earlier than this tool's own signal would.
   */
  invoke(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolOutcome>;
}

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface Tool {
  /** Name exposed to the model: letters, digits, `_` and `-` only. */
  name: string;
  description: string;
  parameters: JsonSchema;
  capability: Capability;
  /**
   * What an approval tells the user the call does, when it differs from the policy class: `run_js` is policed as
   * `read` (the sandbox reaches nothing) but it executes code, and the user is told so.
   */
  risk?: Capability;
  source: ToolSource;
  /** May run at the same time as other calls of the same turn. Default: only read tools. */
  parallelSafe?: boolean;
  /** Overrides runtime.tool_timeout_s for this tool. */
  timeoutMs?: number;
  run(args: Record<string, unknown>, context: ToolContext): Promise<unknown>;
}

/** What came back from one guarded call. Failed calls go back to the model as tool errors. */
export interface ToolOutcome {
  ok: boolean;
  output?: string;
  error?: string;
  truncated?: boolean;
  /** The tool's own time: waiting for an approval or for the user's answer to its question is not part of it. */
  durationMs: number;
  /** Time the user spent answering a question the tool asked (an MCP form). */
  userMs?: number;
}
