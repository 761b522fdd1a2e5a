// MemoryStore on a PostgreSQL server (pg pool): the episodic log, checkpoints and notes with tsvector full-text
// search; vectors with pgvector when the server has it, else full-text recall only (`notice` says why).
import type { RunEvent } from '../../../common/index.ts';
import type { Redactor } from '../../base/index.ts';
import { enableVectors, migrate, sharedPool, type SharedPool, DatabaseUnreachableError } from '../../postgres/index.ts';
import { MemoryStoreError } from '../errors.ts';
import type { Checkpoint, EmbeddingSpace, EventQuery, MemoryStore, NewNote, Note } from '../store.ts';
import { PgEpisodic } from './episodic.ts';
import { PG_MEMORY_MIGRATIONS } from './migrations.ts';
import { PgSemantic } from './semantic.ts';

export class PgMemoryStore implements MemoryStore {
  readonly location: string;
  /** Said once at start when vector search is off (no pgvector). */
  readonly notice: string | undefined;
  private readonly shared: SharedPool;
  private readonly episodic: PgEpisodic;
  private readonly semantic: PgSemantic;

  private constructor(shared: SharedPool, redact: Redactor, vectorsOff: string | undefined) {
    this.shared = shared;
    this.location = shared.where;
    this.episodic = new PgEpisodic(shared.pool, redact);
    this.semantic = new PgSemantic(shared.pool, redact, vectorsOff);
    this.notice = vectorsOff && `memory on ${shared.where}: vector search is off — ${vectorsOff}; recall uses full-text search only`;
  }

  /** Connects, applies the migrations and enables pgvector when the server has it. */
  static async open(url: string, redact: Redactor = (text) => text): Promise<PgMemoryStore> {
    const shared = sharedPool(url);
    try {
      await migrate(shared.pool, 'memory', PG_MEMORY_MIGRATIONS, shared.where);
      return new PgMemoryStore(shared, redact, await enableVectors(shared.pool));
    } catch (error) {
      await shared.release();
      if (error instanceof DatabaseUnreachableError) throw error; // says where and why already
      throw new MemoryStoreError(`cannot open the memory database ${shared.where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  flush = (sessionId: string) => this.episodic.settled(sessionId);
  appendEvent = (event: RunEvent) => this.episodic.append(event);
  listSessions = (limit = 100) => this.episodic.list(limit);
  getSession = (id: string) => this.episodic.get(id);
  sessionEvents = (id: string, query: EventQuery = {}) => this.episodic.events(id, query);
  lastSeq = (id: string) => this.episodic.lastSeq(id);
  saveCheckpoint = (checkpoint: Checkpoint) => this.episodic.saveCheckpoint(checkpoint);
  loadCheckpoint = (sessionId: string) => this.episodic.loadCheckpoint(sessionId);

  addNote = (note: NewNote) => this.semantic.add(note);
  getNotes = (ids: number[]) => this.semantic.get(ids);
  recentNotes = (limit: number) => this.semantic.recent(limit);
  deleteSession = async (id: string) => {
    await this.semantic.deleteOfSession(id);
    return this.episodic.delete(id);
  };
  deleteNote = (id: number) => this.semantic.delete(id);
  updateNote = (id: number, content: string) => this.semantic.update(id, content);
  setPinned = (id: number, pinned: boolean) => this.semantic.setPinned(id, pinned);
  pinnedNotes = () => this.semantic.pinned();
  restoreNote = (note: Note) => this.semantic.restore(note);
  keepDeleted = (note: Note, since: number, keep: number) => this.semantic.keepDeleted(note, since, keep);
  takeDeleted = (id: number, since: number) => this.semantic.takeDeleted(id, since);
  touchNotes = (ids: number[]) => this.semantic.touch(ids);
  searchText = (query: string, limit: number) => this.semantic.searchText(query, limit);
  ensureSpace = (model: string, dimensions: number) => this.semantic.ensureSpace(model, dimensions);
  setEmbeddings = (space: EmbeddingSpace, vectors: { noteId: number; vector: number[] }[]) => this.semantic.setEmbeddings(space, vectors);
  notesWithoutEmbedding = (space: EmbeddingSpace, limit: number) => this.semantic.withoutEmbedding(space, limit);
  searchVector = (space: EmbeddingSpace, vector: number[], limit: number) => this.semantic.searchVector(space, vector, limit);

  importNotes = (notes: Note[]) => this.semantic.importMany(notes);
  spaces = () => this.semantic.allSpaces();
  vectorsOf = (space: EmbeddingSpace, afterNoteId: number, limit: number) => this.semantic.vectorsOf(space, afterNoteId, limit);

  async close(): Promise<void> {
    await this.episodic.drain();
    await this.shared.release();
  }
}
