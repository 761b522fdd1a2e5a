// Notes with hybrid recall: vector similarity (when the embedding model answers) fused with FTS5 ranking.
import { SpaceEmbedder, type Embedder } from './embedder.ts';
import type { EmbeddingSpace, MemoryStore, NewNote, Note, RankedNote } from './store.ts';

/** Reciprocal rank fusion constant: dampens the weight of top ranks so both lists count. */
const RRF_K = 60;
const CANDIDATES = 40;
/** Vector hits farther than this (cosine distance) are unrelated: they are not recalled on similarity alone. */
const MAX_DISTANCE = 0.75;
const BACKFILL_BATCH = 64;

export interface RecallResult {
  notes: Note[];
  mode: 'hybrid' | 'text';
  /** Why embeddings were not used, when mode is `text`. */
  unavailable?: string;
}

export class SemanticMemory {
  private readonly store: MemoryStore;
  private readonly vectors: SpaceEmbedder<EmbeddingSpace>;

  constructor(store: MemoryStore, embedder: Embedder) {
    this.store = store;
    this.vectors = new SpaceEmbedder(embedder, (model, dimensions) => store.ensureSpace(model, dimensions));
  }

  get embedModel(): string {
    return this.vectors.model;
  }

  private get space(): EmbeddingSpace | undefined {
    return this.vectors.space;
  }

  private get lastError(): string {
    return this.vectors.lastError;
  }

  /** Saves a note; its vector is added when the embedding model answers (else later, by backfill). */
  async remember(note: NewNote, signal?: AbortSignal): Promise<Note> {
    const saved = await this.store.addNote(note);
    await this.embed(saved, signal);
    return saved;
  }

  private async embed(note: Note, signal?: AbortSignal): Promise<void> {
    const vectors = await this.tryEmbed([note.content], signal);
    if (vectors && this.space) await this.store.setEmbeddings(this.space, [{ noteId: note.id, vector: vectors[0]! }]);
  }

  /** New text for a note; its vector follows when the embedding model answers (else later, by backfill). */
  async edit(id: number, content: string, signal?: AbortSignal): Promise<Note | undefined> {
    const saved = await this.store.updateNote(id, content);
    if (saved) await this.embed(saved, signal);
    return saved;
  }

  /** A deleted note back (same id), with a vector when the embedding model answers. */
  async restore(note: Note, signal?: AbortSignal): Promise<Note> {
    const saved = await this.store.restoreNote(note);
    await this.embed(saved, signal);
    return saved;
  }

  /** `factsOnly`: leaves out how earlier runs ended (`session` notes of older versions): run endings are not facts. */
  async recall(query: string, limit: number, options: { excludeSession?: string; factsOnly?: boolean; signal?: AbortSignal } = {}): Promise<RecallResult> {
    if (limit <= 0 || !query.trim()) return { notes: [], mode: 'text' };
    const text = await this.store.searchText(query, CANDIDATES);
    const vectors = await this.tryEmbed([query], options.signal);
    const near = vectors && this.space ? (await this.store.searchVector(this.space, vectors[0]!, CANDIDATES)).filter((hit) => (hit.distance ?? 0) <= MAX_DISTANCE) : [];
    // A few extra candidates make up for notes of the excluded session.
    const candidates = await this.store.getNotes(fuse([text, near]).slice(0, limit * 4));
    const notes = candidates.filter((n) => (!options.excludeSession || n.sessionId !== options.excludeSession) && !(options.factsOnly && n.kind === 'session')).slice(0, limit);
    if (notes.length) await this.store.touchNotes(notes.map((n) => n.id));
    return vectors ? { notes, mode: 'hybrid' } : { notes, mode: 'text', unavailable: this.lastError };
  }

  forget(id: number): Promise<boolean> {
    return this.store.deleteNote(id);
  }

  /**
   * Embeds notes that have no vector in the current model's space (after a model change, or an outage). `beforeBatch`
   * is awaited before each batch: the caller holds it while runs are going, so backfill never competes with them
   * for the model server.
   */
  async backfill(signal?: AbortSignal, beforeBatch: () => Promise<void> = async () => undefined): Promise<number> {
    await beforeBatch();
    if (signal?.aborted || !(await this.tryEmbed(['probe'], signal)) || !this.space) return 0;
    let done = 0;
    for (;;) {
      await beforeBatch();
      if (signal?.aborted) return done;
      const missing = await this.store.notesWithoutEmbedding(this.space, BACKFILL_BATCH);
      if (!missing.length) return done;
      const vectors = await this.tryEmbed(missing.map((n) => n.content), signal);
      if (!vectors) return done;
      await this.store.setEmbeddings(this.space, missing.map((n, i) => ({ noteId: n.id, vector: vectors[i]! })));
      done += missing.length;
    }
  }

  /** Vectors, or undefined when the embedding model is unavailable (the reason is kept for the notice). */
  private tryEmbed(texts: string[], signal?: AbortSignal): Promise<number[][] | undefined> {
    return this.vectors.embed(texts, signal);
  }

}

/** Reciprocal rank fusion of several best-first lists into one list of ids. */
export function fuse(lists: RankedNote[][]): number[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    for (const hit of list) scores.set(hit.id, (scores.get(hit.id) ?? 0) + 1 / (RRF_K + hit.rank + 1));
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
