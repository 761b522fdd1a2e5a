// Memory with its note vectors in Qdrant: sessions, notes and their full-text index stay in the episodic store
// (SQLite or PostgreSQL), vectors go to Qdrant — written when a note is embedded, deleted with the note (or its
// session), dropped when it is edited (its new vector follows). Recall fuses Qdrant's nearest notes with the
// episodic store's full-text ranking, as with the other stores (SemanticMemory).
import type { EmbeddingSpace, MemoryStore, Note } from '../store.ts';
import type { QdrantVectors } from './qdrant-vectors.ts';

/** Note ids looked at per round when finding notes without a vector. */
const SCAN = 256;

export function withQdrant(episodic: MemoryStore, vectors: QdrantVectors): MemoryStore {
  /** Where the search for notes without a vector goes on, per space (a full pass ends back at the start). */
  const cursors = new Map<number, number>();

  const notesWithoutEmbedding = async (space: EmbeddingSpace, limit: number): Promise<Note[]> => {
    const newest = (await episodic.recentNotes(1))[0]?.id ?? 0;
    const missing: Note[] = [];
    for (let from = cursors.get(space.id) ?? 1; from <= newest && missing.length < limit; from += SCAN) {
      const notes = await episodic.getNotes(Array.from({ length: Math.min(SCAN, newest - from + 1) }, (_, i) => from + i));
      const present = await vectors.present(space, notes.map((n) => n.id));
      for (const note of notes.sort((a, b) => a.id - b.id)) if (!present.has(note.id) && missing.length < limit) missing.push(note);
    }
    // The next call looks again from the first note handed out (embedded by then, or still missing).
    cursors.set(space.id, missing[0]?.id ?? 1);
    return missing;
  };

  return {
    ...delegate(episodic),
    location: `${episodic.location} (vectors: qdrant ${vectors.where})`,
    ...(episodic.notice ? { notice: episodic.notice } : {}),
    ...(episodic.flush ? { flush: (id: string) => episodic.flush!(id) } : {}),
    deleteNote: async (id) => {
      const deleted = await episodic.deleteNote(id);
      if (deleted) await vectors.remove([id]);
      return deleted;
    },
    deleteSession: async (id) => {
      const deleted = await episodic.deleteSession(id);
      await vectors.removeSession(id);
      return deleted;
    },
    updateNote: async (id, content) => {
      const note = await episodic.updateNote(id, content);
      if (note) await vectors.remove([id]);
      return note;
    },
    ensureSpace: (model, dimensions) => vectors.ensureSpace(model, dimensions),
    setEmbeddings: async (space, items) => {
      // A note deleted while it was being embedded gets no vector.
      const notes = new Map((await episodic.getNotes(items.map((i) => i.noteId))).map((n) => [n.id, n]));
      const points = items.filter((i) => notes.has(i.noteId)).map((i) => ({ ...i, ...(notes.get(i.noteId)!.sessionId ? { sessionId: notes.get(i.noteId)!.sessionId! } : {}) }));
      for (const { noteId, vector } of points) {
        if (vector.length !== space.dimensions) throw new Error(`embedding of note ${noteId} has ${vector.length} dimensions, ${space.model} space has ${space.dimensions}`);
      }
      await vectors.upsert(space, points);
    },
    notesWithoutEmbedding,
    searchVector: (space, vector, limit) => vectors.search(space, vector, limit),
    spaces: () => vectors.spaces(),
    vectorsOf: (space, after, limit) => vectors.page(space, after, limit),
  };
}

/** Every method of the episodic store, bound to it. */
function delegate(store: MemoryStore): MemoryStore {
  return {
    location: store.location,
    appendEvent: (event) => store.appendEvent(event),
    listSessions: (limit) => store.listSessions(limit),
    getSession: (id) => store.getSession(id),
    sessionEvents: (id, query) => store.sessionEvents(id, query),
    lastSeq: (id) => store.lastSeq(id),
    saveCheckpoint: (checkpoint) => store.saveCheckpoint(checkpoint),
    loadCheckpoint: (id) => store.loadCheckpoint(id),
    addNote: (note) => store.addNote(note),
    getNotes: (ids) => store.getNotes(ids),
    recentNotes: (limit) => store.recentNotes(limit),
    deleteSession: (id) => store.deleteSession(id),
    deleteNote: (id) => store.deleteNote(id),
    updateNote: (id, content) => store.updateNote(id, content),
    setPinned: (id, pinned) => store.setPinned(id, pinned),
    pinnedNotes: () => store.pinnedNotes(),
    restoreNote: (note) => store.restoreNote(note),
    keepDeleted: (note, since, keep) => store.keepDeleted(note, since, keep),
    takeDeleted: (id, since) => store.takeDeleted(id, since),
    touchNotes: (ids) => store.touchNotes(ids),
    searchText: (query, limit) => store.searchText(query, limit),
    ensureSpace: (model, dimensions) => store.ensureSpace(model, dimensions),
    setEmbeddings: (space, vectors) => store.setEmbeddings(space, vectors),
    notesWithoutEmbedding: (space, limit) => store.notesWithoutEmbedding(space, limit),
    searchVector: (space, vector, limit) => store.searchVector(space, vector, limit),
    importNotes: (notes) => store.importNotes(notes),
    spaces: () => store.spaces(),
    vectorsOf: (space, after, limit) => store.vectorsOf(space, after, limit),
    close: () => store.close(),
  };
}
