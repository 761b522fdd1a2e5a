// The public event contract: the runtime streams these; the desktop app, `rein serve` and scripts consume them.
// Later capabilities add members to RunEvent; existing members only ever gain optional fields.

export type RunStatus = 'completed' | 'stopped' | 'failed';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type LoopPattern = 'repeat' | 'ping-pong' | 'same-result';

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

export interface RunFinishedEvent extends EventBase {
  type: 'run.finished';
  status: RunStatus;
  answer?: string;
  reason?: string;
  steps: number;
  usage: Usage;
}

export type RunEvent =
  | RunStartedEvent
  | ModelDeltaEvent
  | ModelCompletedEvent
  | ModelRetryEvent
  | ToolCalledEvent
  | ToolResultEvent
  | LoopDetectedEvent
  | RunFinishedEvent;

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
  'model.completed',
  'model.retry',
  'tool.called',
  'tool.result',
  'loop.detected',
  'run.finished',
];
