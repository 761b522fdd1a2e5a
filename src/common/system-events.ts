// Events outside any run: capability status (MCP servers, skills, knowledge ingestion, schedules). No Node, no DOM.
import type { ModelStatus } from './api/models.ts';
import type { NoticeLevel } from './events.ts';

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

export type McpServerState = 'starting' | 'ready' | 'failed' | 'reconnecting' | 'disabled';

/** An MCP server changed state; `reason` and `stderr` explain failures. */
export interface McpServerStatusEvent extends SystemEventBase {
  type: 'mcp.server.status';
  server: string;
  state: McpServerState;
  transport: 'stdio' | 'streamable-http' | 'sse';
  tools: number;
  reason?: string;
  /** The last lines the server wrote to stderr (stdio servers). */
  stderr?: string[];
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

/**
 * Skill learning from a finished run: in the background after its run.finished, one run at a time, only for runs
 * with several tool calls that no skill covered. `learned` names the skill; `failed` says why nothing was saved.
 */
export interface SkillLearningEvent extends SystemEventBase {
  type: 'skill.learning';
  runId: string;
  state: 'started' | 'learned' | 'failed';
  name?: string;
  action?: 'created' | 'updated';
  /** False until the user approves it (`rein skills approve <name>`). */
  approved?: boolean;
  version?: number;
  /** learned: a note (e.g. code left out); failed: the reason. */
  message?: string;
}

/** Knowledge ingestion of one source: files done of total, the file being read, files skipped or failed and why. */
export interface KnowledgeProgressEvent extends SystemEventBase {
  type: 'knowledge.progress';
  sourceId: number;
  path: string;
  state: 'running' | 'done';
  done: number;
  total: number;
  current?: string;
  indexed: number;
  skipped: number;
  failed: number;
  /** The last few files skipped or failed in this pass, with the reason. */
  errors: { file: string; reason: string }[];
  /** Passages were stored without vectors: search is text-only until the embedding model answers. */
  embedUnavailable?: string;
}

/** A scheduled slot changed state (the desktop shows a notification for finished, failed, missed and waiting). */
export interface ScheduleRunEvent extends SystemEventBase {
  type: 'schedule.run';
  schedule: string;
  slotId: string;
  status: 'started' | 'finished' | 'failed' | 'stopped' | 'missed' | 'waiting_approval';
  runId?: string;
  reason?: string;
}

/**
 * The default model's server health and load state, pushed by the host when it changes (checked every few seconds
 * while a shell listens, and at once when a run's model call fails): the UI disables Send while it is unreachable.
 */
export interface ModelStatusEvent extends SystemEventBase {
  type: 'model.status';
  status: ModelStatus;
}

/** The model titled a conversation after its first answer (the sidebar shows it; the user's own titles win). */
export interface ConversationTitledEvent extends SystemEventBase {
  type: 'conversation.titled';
  conversationId: string;
  title: string;
}

export type SystemEvent = ModelStatusEvent | ConversationTitledEvent | SystemNoticeEvent | McpServerStatusEvent | SkillsReloadedEvent | ScheduleRunEvent | KnowledgeProgressEvent | SkillLearningEvent;

/** A system event before the runtime stamps its time. */
export type SystemEventInput = SystemEvent extends infer E ? (E extends SystemEvent ? Omit<E, 'time'> : never) : never;
