// Memory: semantic notes with provenance, and past sessions (one per run) with their episodic log.
import type { RunEvent, Usage } from '../events.ts';
import type { RunState } from './runs.ts';

export interface MemoryNote {
  id: number;
  text: string;
  /** `fact` (remembered), `summary` (written by compaction), `session` (what a finished session did). */
  kind: 'fact' | 'summary' | 'session';
  /** Who wrote it (`remember` tool, `user`, `compaction`, `session-end`) and in which session and step. */
  provenance: { source: string; sessionId?: string; step?: number };
  createdAt: string;
  /** When recall last returned it. */
  lastUsedAt?: string;
  /** Pinned notes are given to the model at every run start, before the recalled ones. */
  pinned: boolean;
}

/** Bounds on pinned notes, which every run's system prompt carries: pinning past them is refused with the reason. */
export const PINNED_NOTES_LIMIT = { notes: 10, characters: 1000 } as const;

export interface MemorySession {
  /** The session id, which is its run id. */
  id: string;
  title: string;
  goal: string;
  /** `interrupted`: logged as running, but no live run continues it (the process stopped); it can be resumed. */
  status: RunState;
  model?: string;
  startedAt: string;
  updatedAt: string;
  steps: number;
  usage: Usage;
  /** The conversation's first run, when this session continues a conversation. */
  conversationId?: string;
}

export interface MemoryApi {
  /** Notes by hybrid recall (full-text, plus similarity when the embedding model answers), best first. */
  searchNotes(query: string, limit?: number): Promise<MemoryNote[]>;
  getNote(id: number): Promise<MemoryNote>;
  /** The newest notes first. */
  recentNotes(limit?: number): Promise<MemoryNote[]>;
  /** Forgets a session: its episodic log, checkpoint and the notes written in it. */
  deleteSession(sessionId: string): Promise<void>;
  deleteNote(id: number): Promise<void>;
  /** Puts back a note deleted a short while ago (the panel's undo), under the same id. */
  restoreNote(id: number): Promise<MemoryNote>;
  /** New text for a note; recall finds it by the new text. Refused past the pinned bound for a pinned note. */
  editNote(id: number, text: string): Promise<MemoryNote>;
  /** Pins or unpins a note; pinning past PINNED_NOTES_LIMIT is refused with the reason. */
  pinNote(id: number, pinned: boolean): Promise<MemoryNote>;
  /** The pinned notes, in the order they were pinned. */
  pinnedNotes(): Promise<MemoryNote[]>;
  /** Sessions of every process sharing the memory database (desktop, `rein run`), newest first. */
  sessions(): Promise<MemorySession[]>;
  /** A session's episodic log: every event it logged, in seq order. */
  episodes(sessionId: string): Promise<RunEvent[]>;
}
