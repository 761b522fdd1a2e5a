// What memory needs from a database. The SQLite implementation lives in sqlite/; a server backend
// (e.g. Postgres + pgvector) implements the same interface and callers do not change.
import type { RunEvent, RunStatus, Usage } from '../../common/index.ts';
import type { RunState } from '../loop/index.ts';

export type SessionStatus = RunStatus | 'running';

export interface SessionSummary {
  id: string;
  title: string;
  goal: string;
  status: SessionStatus;
  model?: string;
  createdAt: string;
  updatedAt: string;
  steps: number;
  usage: Usage;
  /** The conversation's first run, when this session continues a conversation (from its run.started). */
  conversationId?: string;
}

export interface EventQuery {
  /** Only events with a larger seq. */
  afterSeq?: number;
  /** ISO-8601 bounds on the event time (inclusive). */
  since?: string;
  until?: string;
}

/** Memory's own part of a checkpoint (compaction progress, recalled notes). */
export interface WorkingState {
  /** History index from which turns are still verbatim; older ones live in `summary`. */
  compactedThrough: number;
  /** History index before which bulky tool results show as stubs (observation masking, the first compaction tier). */
  maskedThrough?: number;
  /** History index of the run's goal (after a conversation's earlier exchanges); 1 when absent. */
  goalAt?: number;
  summary?: string;
  /** Notes the user pinned, given before the recalled ones at every run start. */
  pinned?: RecalledNote[];
  recalled: RecalledNote[];
}

export interface Checkpoint {
  sessionId: string;
  step: number;
  /** The seq of the last event logged when the checkpoint was taken. */
  seq: number;
  run: RunState;
  working: WorkingState;
}

export type NoteKind = 'fact' | 'summary' | 'session';

export interface NewNote {
  content: string;
  kind: NoteKind;
  /** Who wrote it: `remember` tool, `compaction`, `session-end`, `user`. */
  source: string;
  sessionId?: string;
  step?: number;
}

export interface Note extends NewNote {
  id: number;
  createdAt: string;
  lastUsedAt?: string;
  /** When the user pinned it: pinned notes are given to the model at every run start. */
  pinnedAt?: string;
}

export interface RecalledNote {
  id: number;
  content: string;
  kind: NoteKind;
  sessionId?: string;
}

/** One embedding model at one dimension; vectors of different spaces never mix. */
export interface EmbeddingSpace {
  id: number;
  model: string;
  dimensions: number;
}

/** A ranked hit: lower rank = better. */
export interface RankedNote {
  id: number;
  rank: number;
  /** Cosine distance to the query (vector hits only): 0 same direction, 1 unrelated, 2 opposite. */
  distance?: number;
}

export interface MemoryStore {
  /** Where it is (a file, or a server URL without its password). */
  readonly location: string;
  /** Said once at start when the store works with less than usual (e.g. no vector search on the server). */
  readonly notice?: string;
  /** Resolves when this process's writes of the session are stored (a server store writes them in the background). */
  flush?(sessionId: string): Promise<void>;
  /** Appends to the episodic log and keeps the session's summary row up to date. */
  appendEvent(event: RunEvent): Promise<void>;
  listSessions(limit?: number): Promise<SessionSummary[]>;
  getSession(id: string): Promise<SessionSummary | undefined>;
  sessionEvents(id: string, query?: EventQuery): Promise<RunEvent[]>;
  lastSeq(id: string): Promise<number>;

  saveCheckpoint(checkpoint: Checkpoint): Promise<void>;
  loadCheckpoint(sessionId: string): Promise<Checkpoint | undefined>;

  addNote(note: NewNote): Promise<Note>;
  getNotes(ids: number[]): Promise<Note[]>;
  /** The newest notes first (the memory panel before anything is searched). */
  recentNotes(limit: number): Promise<Note[]>;
  /** Removes a session: its episodic log, checkpoint and the notes written in it. False when there is none. */
  deleteSession(id: string): Promise<boolean>;
  deleteNote(id: number): Promise<boolean>;
  /** New text for a note (redacted): its full-text entry follows, its vectors are dropped (embed it again). */
  updateNote(id: number, content: string): Promise<Note | undefined>;
  /** Pins (keeping the first pin time) or unpins a note. */
  setPinned(id: number, pinned: boolean): Promise<Note | undefined>;
  /** Pinned notes, in the order they were pinned. */
  pinnedNotes(): Promise<Note[]>;
  /** Puts a deleted note back with its id, provenance and times (a new id only if its id was taken). */
  restoreNote(note: Note): Promise<Note>;
  /** Keeps a deleted note so it can be restored (by any process); drops those deleted before `since`, beyond `keep`. */
  keepDeleted(note: Note, since: number, keep: number): Promise<void>;
  /** Takes a note deleted at or after `since` out of the kept ones. */
  takeDeleted(id: number, since: number): Promise<Note | undefined>;
  touchNotes(ids: number[]): Promise<void>;
  /** Full-text search, best first. */
  searchText(query: string, limit: number): Promise<RankedNote[]>;

  ensureSpace(model: string, dimensions: number): Promise<EmbeddingSpace>;
  setEmbeddings(space: EmbeddingSpace, vectors: { noteId: number; vector: number[] }[]): Promise<void>;
  /** Notes that have no vector in `space` yet (after a model change, or when embedding was down). */
  notesWithoutEmbedding(space: EmbeddingSpace, limit: number): Promise<Note[]>;
  /** Nearest notes by vector, best first. */
  searchVector(space: EmbeddingSpace, vector: number[], limit: number): Promise<RankedNote[]>;

  /** Notes of an archive into an empty store, ids, times and pins kept (many at once). */
  importNotes(notes: Note[]): Promise<void>;
  /** Every embedding space (for export). */
  spaces(): Promise<EmbeddingSpace[]>;
  /** The vectors of a space, in note id order, a page at a time (for export). */
  vectorsOf(space: EmbeddingSpace, afterNoteId: number, limit: number): Promise<{ noteId: number; vector: number[] }[]>;

  close(): Promise<void>;
}
