// Which memory store a config names: SQLite at memory.path (the default), or PostgreSQL when memory.episodic is a
// postgres:// URL; memory.semantic may put notes and their vectors elsewhere (another PostgreSQL, or Qdrant for
// the vectors). Server code loads only when a server is configured.
import { createRedactor, type Redactor } from '../base/index.ts';
import { isQdrantUrl, type ReinConfig } from '../config/index.ts';
import { SqliteMemoryStore } from './sqlite/sqlite-store.ts';
import type { MemoryStore } from './store.ts';
import { MemoryStoreError } from './errors.ts';

export type MemoryConfig = Pick<ReinConfig, 'memory'> & Partial<Pick<ReinConfig, 'secrets'>>;

export async function openMemoryStore(config: MemoryConfig): Promise<MemoryStore> {
  const redact = createRedactor(config.secrets ?? []);
  const episodic = await openOne(config.memory.episodic, config.memory.path, redact);
  const semanticAt = config.memory.semantic;
  if (!semanticAt) return episodic;
  try {
    if (isQdrantUrl(semanticAt)) throw new MemoryStoreError('memory.semantic: qdrant:// is not supported by this build yet');
    return splitStore(episodic, await openOne(semanticAt, config.memory.path, redact));
  } catch (error) {
    await episodic.close();
    throw error;
  }
}

async function openOne(url: string | undefined, file: string, redact: Redactor): Promise<MemoryStore> {
  if (!url) return new SqliteMemoryStore(file, redact);
  const { PgMemoryStore } = await import('./postgres/pg-memory-store.ts');
  return PgMemoryStore.open(url, redact);
}

/** Sessions, events and checkpoints in one store; notes and vectors in another. */
export function splitStore(episodic: MemoryStore, semantic: MemoryStore): MemoryStore {
  return {
    location: `${episodic.location} (notes: ${semantic.location})`,
    ...(episodic.flush ? { flush: (id: string) => episodic.flush!(id) } : {}),
    ...(semantic.notice ? { notice: semantic.notice } : {}),
    appendEvent: (event) => episodic.appendEvent(event),
    listSessions: (limit) => episodic.listSessions(limit),
    getSession: (id) => episodic.getSession(id),
    sessionEvents: (id, query) => episodic.sessionEvents(id, query),
    lastSeq: (id) => episodic.lastSeq(id),
    saveCheckpoint: (checkpoint) => episodic.saveCheckpoint(checkpoint),
    loadCheckpoint: (id) => episodic.loadCheckpoint(id),
    addNote: (note) => semantic.addNote(note),
    getNotes: (ids) => semantic.getNotes(ids),
    recentNotes: (limit) => semantic.recentNotes(limit),
    deleteSession: async (id) => {
      await semantic.deleteSession(id); // the session's notes
      return episodic.deleteSession(id);
    },
    deleteNote: (id) => semantic.deleteNote(id),
    updateNote: (id, content) => semantic.updateNote(id, content),
    setPinned: (id, pinned) => semantic.setPinned(id, pinned),
    pinnedNotes: () => semantic.pinnedNotes(),
    restoreNote: (note) => semantic.restoreNote(note),
    keepDeleted: (note, since, keep) => semantic.keepDeleted(note, since, keep),
    takeDeleted: (id, since) => semantic.takeDeleted(id, since),
    touchNotes: (ids) => semantic.touchNotes(ids),
    searchText: (query, limit) => semantic.searchText(query, limit),
    ensureSpace: (model, dimensions) => semantic.ensureSpace(model, dimensions),
    setEmbeddings: (space, vectors) => semantic.setEmbeddings(space, vectors),
    notesWithoutEmbedding: (space, limit) => semantic.notesWithoutEmbedding(space, limit),
    searchVector: (space, vector, limit) => semantic.searchVector(space, vector, limit),
    importNotes: (notes) => semantic.importNotes(notes),
    spaces: () => semantic.spaces(),
    vectorsOf: (space, after, limit) => semantic.vectorsOf(space, after, limit),
    close: async () => {
      await Promise.allSettled([episodic.close(), semantic.close()]);
    },
  };
}
