// Session and note rows as both stores read them back (SQLite and PostgreSQL share the column names; PostgreSQL
// returns BIGINT token counts as strings, hence Number()).
import type { Note, NoteKind, SessionSummary } from './store.ts';

const TITLE_CHARS = 80;

export interface SessionRow {
  id: string;
  title: string;
  goal: string;
  status: SessionSummary['status'];
  model: string | null;
  created_at: string;
  updated_at: string;
  steps: number;
  prompt_tokens: number | string;
  completion_tokens: number | string;
  conversation_id: string | null;
}

export interface NoteRow {
  id: number;
  content: string;
  kind: NoteKind;
  source: string;
  session_id: string | null;
  step: number | null;
  created_at: string;
  last_used_at: string | null;
  pinned_at: string | null;
}

/** A session's title: the first line of its goal, shortened. */
export function titleOf(goal: string): string {
  const line = goal.trim().split('\n')[0] ?? '';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

export function toSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    title: row.title,
    goal: row.goal,
    status: row.status,
    ...(row.model ? { model: row.model } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    steps: row.steps,
    usage: { promptTokens: Number(row.prompt_tokens), completionTokens: Number(row.completion_tokens) },
    ...(row.conversation_id ? { conversationId: row.conversation_id } : {}),
  };
}

export function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    content: row.content,
    kind: row.kind,
    source: row.source,
    ...(row.session_id ? { sessionId: row.session_id } : {}),
    ...(row.step !== null ? { step: row.step } : {}),
    createdAt: row.created_at,
    ...(row.last_used_at ? { lastUsedAt: row.last_used_at } : {}),
    ...(row.pinned_at ? { pinnedAt: row.pinned_at } : {}),
  };
}
