// The API's shape: sections of calls, the pushed-event subscription, and the method-name lists.
import type { ApprovalsApi } from './approvals.ts';
import type { ConfigApi } from './config.ts';
import type { ConversationsApi } from './conversations.ts';
import type { ApiEvent, Unsubscribe } from './events.ts';
import type { KnowledgeApi } from './knowledge.ts';
import type { McpApi } from './mcp.ts';
import type { MemoryApi } from './memory.ts';
import type { ModelsApi } from './models.ts';
import type { QuestionsApi } from './questions.ts';
import type { RunsApi } from './runs.ts';
import type { SchedulesApi } from './schedules.ts';
import type { SkillsApi } from './skills.ts';

/** The calls, by section. Capability sections (approvals, skills, memory, mcp) fail with `unavailable` when absent. */
export interface ApiSections {
  runs: RunsApi;
  models: ModelsApi;
  config: ConfigApi;
  questions: QuestionsApi;
  approvals: ApprovalsApi;
  skills: SkillsApi;
  memory: MemoryApi;
  mcp: McpApi;
  conversations: ConversationsApi;
  schedules: SchedulesApi;
  knowledge: KnowledgeApi;
}

export interface RuntimeApi extends ApiSections {
  /** Every pushed event, in order per run. */
  onEvent(listener: (event: ApiEvent) => void): Unsubscribe;
}

/** Method names per section; the shells expose exactly these and reject anything else. */
export const API_METHODS = {
  runs: ['start', 'abort', 'resume', 'list', 'events', 'feedback'],
  models: ['list', 'sources', 'status', 'recommended', 'pull', 'cancelPull', 'remove'],
  config: ['get', 'setModel', 'settings', 'updateSettings'],
  questions: ['pending', 'answer'],
  approvals: ['pending', 'decide', 'history', 'grants', 'revokeGrant'],
  skills: ['list', 'get', 'save', 'create', 'history', 'rollback'],
  memory: ['searchNotes', 'getNote', 'deleteNote', 'sessions', 'episodes', 'recentNotes', 'deleteSession', 'restoreNote', 'editNote', 'pinNote', 'pinnedNotes'],
  mcp: ['servers', 'tools', 'resources', 'prompts', 'add', 'importClaudeDesktop', 'remove', 'setEnabled', 'restart', 'startSignIn', 'cancelSignIn', 'signOut'],
  schedules: ['list', 'add', 'remove', 'pause', 'resume', 'runNow', 'history'],
  conversations: ['titles', 'rename', 'remove', 'search'],
  knowledge: ['sources', 'add', 'remove', 'reindex', 'files', 'search', 'preview', 'attach', 'upload', 'uploadChunk', 'uploadFinish', 'uploadCancel'],
} as const satisfies { [S in keyof ApiSections]: readonly (keyof ApiSections[S])[] };

export type ApiSection = keyof typeof API_METHODS;
/** A full method name as it travels: `runs.start`, `skills.save`, … */
export type ApiMethod = { [S in ApiSection]: `${S}.${(typeof API_METHODS)[S][number]}` }[ApiSection];

export const API_METHOD_NAMES: readonly ApiMethod[] = Object.entries(API_METHODS).flatMap(([section, names]) =>
  names.map((name) => `${section}.${name}` as ApiMethod),
);

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && (API_METHOD_NAMES as readonly string[]).includes(value);
}

/** IPC channels (Electron): `rein:<method>` for calls, this one for pushed events. */
export const EVENT_CHANNEL = 'rein:event';
