// Text → vectors through the configured provider's embed (Ollama's /api/embed, an OpenAI-compatible server's
// /v1/embeddings). Reusable by other capabilities (skills).
import { errorMessage, withTimeout } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import { createModelClient } from '../model/index.ts';

const EMBED_TIMEOUT_MS = 60_000;

export interface Embedder {
  readonly model: string;
  /** One vector per text, all of the model's dimension. Throws when the model is missing or unreachable. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export function createEmbedder(config: Pick<ReinConfig, 'model'>, model: string): Embedder {
  const client = createModelClient({ ...config.model, name: model }, { retry: { retries: 0 } });
  return {
    model,
    async embed(texts, parent) {
      if (!texts.length) return [];
      const { signal, dispose } = withTimeout(parent, EMBED_TIMEOUT_MS, `embedding with ${model}`);
      try {
        const vectors = await client.embed!(texts, signal);
        if (vectors.length !== texts.length) throw new Error(`${model} returned ${vectors.length} embeddings for ${texts.length} texts`);
        return vectors;
      } finally {
        dispose();
      }
    },
  };
}

/** After a failed embedding call, text-only for this long before trying the model again. */
const RETRY_EMBED_MS = 30_000;

/**
 * Embeddings into a vector space of a store: undefined (and the reason kept) while the model is unavailable, retried
 * after a pause; a new model or dimension gets its own space, so vectors of different spaces are never compared.
 */
export class SpaceEmbedder<S extends { dimensions: number }> {
  space: S | undefined;
  lastError = '';
  private downUntil = 0;
  private readonly embedder: Embedder;
  private readonly ensureSpace: (model: string, dimensions: number) => Promise<S>;

  constructor(embedder: Embedder, ensureSpace: (model: string, dimensions: number) => Promise<S>) {
    this.embedder = embedder;
    this.ensureSpace = ensureSpace;
  }

  get model(): string {
    return this.embedder.model;
  }

  /** The model failed a moment ago: calls return undefined until the pause is over. */
  get down(): boolean {
    return Date.now() < this.downUntil;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][] | undefined> {
    if (this.down) return undefined;
    try {
      const vectors = await this.embedder.embed(texts, signal);
      const dimensions = vectors[0]?.length ?? 0;
      if (!dimensions || vectors.some((v) => v.length !== dimensions)) throw new Error(`${this.embedder.model} returned vectors of mixed or zero dimensions`);
      if (this.space?.dimensions !== dimensions) this.space = await this.ensureSpace(this.embedder.model, dimensions);
      return vectors;
    } catch (error) {
      if (signal?.aborted) throw error;
      this.lastError = errorMessage(error);
      this.downUntil = Date.now() + RETRY_EMBED_MS;
      return undefined;
    }
  }
}
