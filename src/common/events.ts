// The public event contract: the runtime streams these; the desktop app, `rein serve` and scripts consume them.
// Later capabilities add members to RunEvent; existing members only ever gain optional fields.

export type RunStatus = 'completed' | 'stopped' | 'failed';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type LoopPattern = 'repeat' | 'ping-pong' | 'same-result';

export type NoticeLevel = 'info' | 'warn' | 'error';

interface EventBase {
  runId: string;
  /** Monotonic sequence number within a run, starting at 1. */
  seq: number;
  /** ISO-8601 timestamp. */
  time: string;
}

export interface RunStartedEvent extends EventBase {
  type: 'run.started';
  goal: string;
  model: string;
  provider: string;
  tools: string[];
}

export interface ModelDeltaEvent extends EventBase {
  type: 'model.delta';
  step: number;
  text: string;
}

/** Reasoning text of thinking models, kept apart from the answer. */
export interface ModelThinkingEvent extends EventBase {
  type: 'model.thinking';
  step: number;
  text: string;
}

export interface ModelCompletedEvent extends EventBase {
  type: 'model.completed';
  step: number;
  usage: Usage;
  toolCalls: number;
  durationMs: number;
}

export interface ModelRetryEvent extends EventBase {
  type: 'model.retry';
  step: number;
  attempt: number;
  delayMs: number;
  error: string;
}

export interface ToolCalledEvent extends EventBase {
  type: 'tool.called';
  step: number;
  callId: string;
  name: string;
  args: unknown;
  /** Set when the harness repaired the model's call (e.g. parsed string arguments). */
  repaired?: string;
}

export interface ToolResultEvent extends EventBase {
  type: 'tool.result';
  step: number;
  callId: string;
  name: string;
  ok: boolean;
  output?: string;
  error?: string;
  durationMs: number;
  truncated?: boolean;
}

export interface LoopDetectedEvent extends EventBase {
  type: 'loop.detected';
  step: number;
  pattern: LoopPattern;
  detail: string;
  /** How many reflections the run has received, including this one. */
  reflections: number;
}

/** Something a user should know that is not an error of the run itself (e.g. a fallback was used). */
export interface RunNoticeEvent extends EventBase {
  type: 'run.notice';
  level: NoticeLevel;
  /** The capability that speaks, e.g. `memory`, `skills`. */
  source: string;
  message: string;
}

export interface RunFinishedEvent extends EventBase {
  type: 'run.finished';
  status: RunStatus;
  answer?: string;
  reason?: string;
  steps: number;
  usage: Usage;
}

/** A subagent (a fresh Rein process) was started for a `spawn_subagent` call. */
export interface AgentSpawnedEvent extends EventBase {
  type: 'agent.spawned';
  /** `<role>#<n>`, unique within the parent runtime. */
  agentId: string;
  role: string;
  goal: string;
  backend: 'local' | 'docker';
  pid?: number;
}

/** A subagent ended; its process is gone. */
export interface AgentFinishedEvent extends EventBase {
  type: 'agent.finished';
  agentId: string;
  status: RunStatus;
  answer?: string;
  error?: string;
  steps: number;
  usage: Usage;
  durationMs: number;
}

/** An event of a subagent's run, nested into the parent's stream (and trace). */
export interface AgentEventEvent extends EventBase {
  type: 'agent.event';
  agentId: string;
  event: RunEvent;
}

export type RunEvent =
  | RunStartedEvent
  | ModelDeltaEvent
  | ModelThinkingEvent
  | ModelCompletedEvent
  | ModelRetryEvent
  | ToolCalledEvent
  | ToolResultEvent
  | LoopDetectedEvent
  | RunNoticeEvent
  | RunFinishedEvent
  | AgentSpawnedEvent
  | AgentFinishedEvent
  | AgentEventEvent;

export type RunEventType = RunEvent['type'];

/** An event before the stream stamps it with runId, seq and time. */
export type RunEventInput = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, keyof EventBase>
    : never
  : never;

export const RUN_EVENT_TYPES: readonly RunEventType[] = [
  'run.started',
  'model.delta',
  'model.thinking',
  'model.completed',
  'model.retry',
  'tool.called',
  'tool.result',
  'loop.detected',
  'run.notice',
  'run.finished',
  'agent.spawned',
  'agent.finished',
  'agent.event',
];

/** Events outside any run: capability status (MCP servers, skill reloads, …). */
interface SystemEventBase {
  time: string;
}

export interface SystemNoticeEvent extends SystemEventBase {
  type: 'system.notice';
  level: NoticeLevel;
  source: string;
  message: string;
}

export type SystemEvent = SystemNoticeEvent;

/** A system event before the runtime stamps its time. */
export type SystemEventInput = SystemEvent extends infer E ? (E extends SystemEvent ? Omit<E, 'time'> : never) : never;
