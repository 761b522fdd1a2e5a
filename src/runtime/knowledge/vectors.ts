// Passage vectors from the configured embedding model (memory.embed_model). When the model is missing or
// unreachable, passages are stored without vectors (search is text-only and says so) and embedded later (backfill).
import { SpaceEmbedder, type Embedder } from '../memory/index.ts';
import type { KnowledgeStore, VectorSpace } from './types.ts';

const BATCH = 32;

export class Vectors {
  private readonly store: KnowledgeStore;
  private readonly vectors: SpaceEmbedder<VectorSpace> | undefined;

  constructor(store: KnowledgeStore, embedder: Embedder | undefined) {
    this.store = store;
    this.vectors = embedder && new SpaceEmbedder(embedder, (model, dimensions) => store.ensureSpace(model, dimensions));
  }

  /** Why vectors are not being made right now, if they are not. */
  get unavailable(): string | undefined {
    if (!this.vectors) return 'no embedding model configured';
    return this.vectors.down ? `embedding model ${this.vectors.model} unavailable: ${this.vectors.lastError}` : undefined;
  }

  get currentSpace(): VectorSpace | undefined {
    return this.vectors?.space;
  }

  private get space(): VectorSpace | undefined {
    return this.vectors?.space;
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
  embed(texts: string[], signal?: AbortSignal): Promise<number[][] | undefined> {
    return this.vectors ? this.vectors.embed(texts, signal) : Promise.resolve(undefined);
  }

}

/** What is embedded: the heading path gives a passage its context. */
function passageText(chunk: { text: string; headings: string[] }): string {
  return chunk.headings.length ? `${chunk.headings.join(' > ')}\n${chunk.text}` : chunk.text;
}
