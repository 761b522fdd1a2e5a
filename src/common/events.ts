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

/** A skill shaped this run: its instructions were injected or loaded, or its code ran. */
export interface SkillUsedEvent extends EventBase {
  type: 'skill.used';
  name: string;
  how: 'injected' | 'loaded' | 'run';
  /** success / total of the skill's outcomes, 0.5 when unused. */
  confidence: number;
  /** 0..1 match with the goal, when chosen by retrieval. */
  relevance?: number;
}

/** The learning loop distilled this run into a skill (new, or an update of a near-duplicate). */
export interface SkillLearnedEvent extends EventBase {
  type: 'skill.learned';
  name: string;
  action: 'created' | 'updated';
  /** False until the user approves it (`rein skills approve <name>`); unapproved skills are not used. */
  approved: boolean;
  version: number;
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
  | ModelThinkingEvent
  | ModelCompletedEvent
  | ModelRetryEvent
  | ToolCalledEvent
  | ToolResultEvent
  | LoopDetectedEvent
  | RunNoticeEvent
  | SkillUsedEvent
  | SkillLearnedEvent
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
  'model.thinking',
  'model.completed',
  'model.retry',
  'tool.called',
  'tool.result',
  'loop.detected',
  'run.notice',
  'skill.used',
  'skill.learned',
  'run.finished',
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

/** Skill files changed on disk and were re-read; invalid files are listed, the valid ones still load. */
export interface SkillsReloadedEvent extends SystemEventBase {
  type: 'skills.reloaded';
  skills: number;
  added: string[];
  changed: string[];
  removed: string[];
  issues: { file: string; message: string }[];
}

export type SystemEvent = SystemNoticeEvent | SkillsReloadedEvent;

/** A system event before the runtime stamps its time. */
export type SystemEventInput = SystemEvent extends infer E ? (E extends SystemEvent ? Omit<E, 'time'> : never) : never;
