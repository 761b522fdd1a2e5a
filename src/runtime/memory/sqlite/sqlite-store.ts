// MemoryStore on one local SQLite file (better-sqlite3, WAL) with sqlite-vec and FTS5.
import type { RunEvent } from '../../../common/index.ts';
import type { Redactor } from '../../base/index.ts';
import type { Checkpoint, EmbeddingSpace, EventQuery, MemoryStore, NewNote, Note } from '../store.ts';
import { EpisodicTables } from './episodic.ts';
import { openDatabase, type Db } from './open-database.ts';
import { SemanticTables } from './semantic.ts';

export class SqliteMemoryStore implements MemoryStore {
  readonly location: string;
  private readonly db: Db;
  private readonly episodic: EpisodicTables;
  private readonly semantic: SemanticTables;

  /** `redact`: secrets are removed from everything written (events, sessions, checkpoints, notes). */
  constructor(file: string, redact: Redactor = (text) => text) {
    this.location = file;
    this.db = openDatabase(file);
    this.episodic = new EpisodicTables(this.db, redact);
    this.semantic = new SemanticTables(this.db, redact);
  }

  // better-sqlite3 is synchronous: each method has done its write when it returns, so the log is durable
  // the moment an event is appended. The async signatures leave room for server backends.
  appendEvent = async (event: RunEvent) => this.episodic.append(event);
  listSessions = async (limit = 100) => this.episodic.list(limit);
  getSession = async (id: string) => this.episodic.get(id);
  sessionEvents = async (id: string, query: EventQuery = {}) => this.episodic.events(id, query);
  lastSeq = async (id: string) => this.episodic.lastSeq(id);
  saveCheckpoint = async (checkpoint: Checkpoint) => this.episodic.saveCheckpoint(checkpoint);
  loadCheckpoint = async (sessionId: string) => this.episodic.loadCheckpoint(sessionId);

  addNote = async (note: NewNote) => this.semantic.add(note);
  getNotes = async (ids: number[]) => this.semantic.get(ids);
  recentNotes = async (limit: number) => this.semantic.recent(limit);
  deleteSession = async (id: string) => {
    for (const noteId of this.semantic.idsOfSession(id)) this.semantic.delete(noteId);
    return this.episodic.delete(id);
  };
  deleteNote = async (id: number) => this.semantic.delete(id);
  updateNote = async (id: number, content: string) => this.semantic.update(id, content);
  setPinned = async (id: number, pinned: boolean) => this.semantic.setPinned(id, pinned);
  pinnedNotes = async () => this.semantic.pinned();
  restoreNote = async (note: Note) => this.semantic.restore(note);
  keepDeleted = async (note: Note, since: number, keep: number) => this.semantic.keepDeleted(note, since, keep);
  takeDeleted = async (id: number, since: number) => this.semantic.takeDeleted(id, since);
  touchNotes = async (ids: number[]) => this.semantic.touch(ids);
  searchText = async (query: string, limit: number) => this.semantic.searchText(query, limit);
  ensureSpace = async (model: string, dimensions: number) => this.semantic.ensureSpace(model, dimensions);
  setEmbeddings = async (space: EmbeddingSpace, vectors: { noteId: number; vector: number[] }[]) => this.semantic.setEmbeddings(space, vectors);
  notesWithoutEmbedding = async (space: EmbeddingSpace, limit: number) => this.semantic.withoutEmbedding(space, limit);
  searchVector = async (space: EmbeddingSpace, vector: number[], limit: number) => this.semantic.searchVector(space, vector, limit);

  importNotes = async (notes: Note[]) => this.semantic.importMany(notes);
  spaces = async () => this.semantic.spaces();
  vectorsOf = async (space: EmbeddingSpace, afterNoteId: number, limit: number) => this.semantic.vectorsOf(space, afterNoteId, limit);

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
