// The public event contract: the runtime streams these; the desktop app, `rein serve` and scripts consume them.
// Later capabilities add members to RunEvent; existing members only ever gain optional fields.

export type RunStatus = 'completed' | 'stopped' | 'failed';

export interface Usage {
  /** Prompt tokens as the server counted them (Ollama: those it evaluated; OpenAI-compatible servers: the whole prompt). */
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, those the provider read from its prompt cache (billed at a fraction), when it reports them. */
  cachedPromptTokens?: number;
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
  /** Where the model runs: the server URL (empty for a model in Rein's own process). */
  host?: string;
  /** The model runs on another machine (shown with a "cloud" mark). */
  cloud?: boolean;
  tools: string[];
  /** Set when this run continues a conversation: the id of the conversation's first run. */
  conversationId?: string;
  /** Set when this run continues a conversation: the run it follows up on. */
  continues?: string;
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
  /** Who answered: provider, server and model of this call. */
  provider?: string;
  host?: string;
  model?: string;
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
  /** The tool's own execution time (waiting for an approval or the user's answer is not counted). */
  durationMs: number;
  /** Time the user took answering a question the tool asked (an MCP form), apart from durationMs. */
  userMs?: number;
  truncated?: boolean;
  /** The run was interrupted while this call was in flight; it was not repeated (not read-only). */
  unknownOutcome?: boolean;
}

/** A progress notification from a running tool (e.g. an MCP server's notifications/progress). */
export interface ToolProgressEvent extends EventBase {
  type: 'tool.progress';
  step: number;
  callId: string;
  name: string;
  progress: number;
  total?: number;
  message?: string;
}

/** Which tools the model was offered this step when there were more than runtime.max_tools_per_turn. */
export interface ToolsOfferedEvent extends EventBase {
  type: 'tools.offered';
  step: number;
  offered: string[];
  /** Tools left out this step (the model can still find them with find_tools). */
  hidden: string[];
  /** How the offered tools were ranked. */
  ranking: 'embedding' | 'keyword';
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

export type RiskClass = 'read' | 'write' | 'network' | 'execute';

/** A policy `ask`: the run waits until someone decides (or the timeout denies). */
export interface ApprovalRequestedEvent extends EventBase {
  type: 'approval.requested';
  /** Approval id, answerable with `rein approvals allow|deny <id>`. */
  id: string;
  step: number;
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  /** The rule that asked, e.g. `policy.rules[2]` or `policy.default.write`. */
  rule: string;
  reason: string;
  risk: RiskClass;
}

export type ApprovalDecision = 'allow_once' | 'allow_always' | 'deny';

export interface ApprovalResolvedEvent extends EventBase {
  type: 'approval.resolved';
  id: string;
  decision: ApprovalDecision;
  /** Who decided: `user`, `cli`, `timeout`, `runtime` (nobody could answer), … */
  by: string;
  reason?: string;
  /** For allow_always: when the saved grant expires (ISO-8601). */
  expiresAt?: string;
}

/** A tool call refused by a deny rule; the reason went back to the model as the tool result. */
export interface PolicyDeniedEvent extends EventBase {
  type: 'policy.denied';
  step: number;
  callId: string;
  tool: string;
  rule: string;
  reason: string;
}

export interface BudgetExceededEvent extends EventBase {
  type: 'budget.exceeded';
  /** The budget key, e.g. `max_tool_calls`, `max_calls_per_tool.fs__write_file`. */
  budget: string;
  limit: number;
  used: number;
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

/** A session continues after an interruption (crash, kill, stop); seq numbers continue too. */
export interface RunResumedEvent extends EventBase {
  type: 'run.resumed';
  goal: string;
  /** The last completed step; the next model turn is fromStep + 1. */
  fromStep: number;
  model: string;
  provider: string;
  host?: string;
  cloud?: boolean;
  tools: string[];
}

/** Old turns of the working context were summarised into a note (or truncated when that failed). */
export interface MemoryCompactedEvent extends EventBase {
  type: 'memory.compacted';
  step: number;
  turnsRemoved: number;
  tokensBefore: number;
  tokensAfter: number;
  noteId: number;
  method: 'model' | 'truncation';
  /** How long the compaction took (a summary is a model call). */
  durationMs?: number;
}

/** Notes recalled from memory for the run (at its start, or by the `recall` tool). */
export interface MemoryRecalledEvent extends EventBase {
  type: 'memory.recalled';
  query: string;
  noteIds: number[];
  /** `text` when embeddings were unavailable and only full-text search ran. */
  mode: 'hybrid' | 'text';
  /** How long the lookup took. */
  durationMs?: number;
}

/** A subagent (a fresh Rein process) was started for a `spawn_subagent` call and answers over MCP. */
export interface AgentSpawnedEvent extends EventBase {
  type: 'agent.spawned';
  /** `<role>#<n>`, unique within the parent runtime. */
  agentId: string;
  role: string;
  goal: string;
  backend: 'local' | 'container';
  /** The subagent's process (local), or the engine's client process that attached to its container. */
  pid?: number;
  /** Container backend: the container's name and the engine running it. */
  container?: string;
  engine?: 'podman' | 'docker';
  /** From starting its process or container until it answered MCP's initialize. */
  startupMs?: number;
  /** The `spawn_subagent` call that started it. */
  callId?: string;
}

/**
 * Why a subagent's process or container ended. done: its parent ended it after the answer; timeout: killed at
 * agents.timeout_s; stopped: its parent's run was stopped; memory: killed for going over its memory limit;
 * crashed: it died on its own; not-started: it never answered.
 */
export type SubagentExitReason = 'done' | 'timeout' | 'stopped' | 'memory' | 'crashed' | 'not-started';

export interface SubagentExit {
  reason: SubagentExitReason;
  /** Its exit code or signal, when it ended on its own. */
  code?: number;
  signal?: string;
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
  exit?: SubagentExit;
  /** The `spawn_subagent` call that started it. */
  callId?: string;
}

/** An event of a subagent's run, nested into the parent's stream (and trace). */
export interface AgentEventEvent extends EventBase {
  type: 'agent.event';
  agentId: string;
  event: RunEvent;
}

export type RunEvent =
  | RunStartedEvent
  | RunResumedEvent
  | MemoryCompactedEvent
  | MemoryRecalledEvent
  | ModelDeltaEvent
  | ModelThinkingEvent
  | ModelCompletedEvent
  | ModelRetryEvent
  | ToolCalledEvent
  | ToolResultEvent
  | ToolProgressEvent
  | ToolsOfferedEvent
  | LoopDetectedEvent
  | RunNoticeEvent
  | ApprovalRequestedEvent
  | ApprovalResolvedEvent
  | PolicyDeniedEvent
  | BudgetExceededEvent
  | SkillUsedEvent
  | SkillLearnedEvent
  | AgentSpawnedEvent
  | AgentFinishedEvent
  | AgentEventEvent
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
  'run.resumed',
  'memory.compacted',
  'memory.recalled',
  'model.delta',
  'model.thinking',
  'model.completed',
  'model.retry',
  'tool.called',
  'tool.result',
  'tool.progress',
  'tools.offered',
  'loop.detected',
  'run.notice',
  'approval.requested',
  'approval.resolved',
  'policy.denied',
  'budget.exceeded',
  'skill.used',
  'skill.learned',
  'agent.spawned',
  'agent.finished',
  'agent.event',
  'run.finished',
];

// Events outside any run (capability status, schedules, knowledge ingestion) live in system-events.ts.
export * from './system-events.ts';
