// Passage vectors from the configured Ollama embedding model (memory.embed_model). When the model is missing or
// unreachable, passages are stored without vectors (search is text-only and says so) and embedded later (backfill).
import { errorMessage } from '../base/index.ts';
import type { Embedder } from '../memory/index.ts';
import type { KnowledgeStore, VectorSpace } from './types.ts';

const BATCH = 32;
/** After a failed embedding call, text-only for this long before trying the model again. */
const RETRY_EMBED_MS = 30_000;

export class Vectors {
  private readonly store: KnowledgeStore;
  private readonly embedder: Embedder | undefined;
  private space: VectorSpace | undefined;
  private downUntil = 0;
  private lastError = '';

  constructor(store: KnowledgeStore, embedder: Embedder | undefined) {
    this.store = store;
    this.embedder = embedder;
    if (!embedder) this.lastError = 'no embedding model configured';
  }

  /** Why vectors are not being made right now, if they are not. */
  get unavailable(): string | undefined {
    if (!this.embedder) return this.lastError;
    return Date.now() < this.downUntil ? `embedding model ${this.embedder.model} unavailable: ${this.lastError}` : undefined;
  }

  get currentSpace(): VectorSpace | undefined {
    return this.space;
  }

  /** Embeds the given passages; returns how many got a vector (0 when the model is unavailable). */
  async embedChunks(ids: number[], signal?: AbortSignal): Promise<number> {
    let done = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunks = await this.store.getChunks(ids.slice(i, i + BATCH));
      const vectors = await this.embed(chunks.map(passageText), signal);
      if (!vectors || !this.space) return done;
      await this.store.setVectors(this.space, chunks.map((c, j) => ({ chunkId: c.id, vector: vectors[j]! })));
      done += chunks.length;
    }
    return done;
  }

  /** Vectors for passages stored while the model was away (or after a model change). */
  async backfill(signal?: AbortSignal): Promise<number> {
    // The space (model and dimensions) is learnt from one embedding; later passes embed only what is missing.
    if (!this.space && !(await this.embed(['probe'], signal))) return 0;
    if (!this.space) return 0;
    let done = 0;
    for (;;) {
      const missing = await this.store.chunksWithoutVector(this.space, BATCH);
      if (!missing.length) return done;
      const vectors = await this.embed(missing.map(passageText), signal);
      if (!vectors) return done;
      await this.store.setVectors(this.space, missing.map((c, j) => ({ chunkId: c.id, vector: vectors[j]! })));
      done += missing.length;
    }
  }

  /** Vectors, or undefined when the embedding model is unavailable (the reason is kept). */
  async embed(texts: string[], signal?: AbortSignal): Promise<number[][] | undefined> {
    if (!this.embedder || Date.now() < this.downUntil) return undefined;
    try {
      const vectors = await this.embedder.embed(texts, signal);
      const dimensions = vectors[0]?.length ?? 0;
      if (!dimensions || vectors.some((v) => v.length !== dimensions)) throw new Error(`${this.embedder.model} returned vectors of mixed or zero dimensions`);
      if (this.space?.dimensions !== dimensions) this.space = await this.store.ensureSpace(this.embedder.model, dimensions);
      return vectors;
    } catch (error) {
      if (signal?.aborted) throw error;
      this.lastError = errorMessage(error);
      this.downUntil = Date.now() + RETRY_EMBED_MS;
      return undefined;
    }
  }
}

/** What is embedded: the heading path gives a passage its context. */
function passageText(chunk: { text: string; headings: string[] }): string {
  return chunk.headings.length ? `${chunk.headings.join(' > ')}\n${chunk.text}` : chunk.text;
}
