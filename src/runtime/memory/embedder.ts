// Text → vectors through the embedding model (memory.embed_model: a name of the default provider, or
// `<provider>:<name>`, e.g. `ollama:nomic-embed-text` beside a cloud chat model). Reusable by other capabilities.
import { errorMessage, withTimeout } from '../base/index.ts';
import { resolveModelRef, type ReinConfig } from '../config/index.ts';
import { createModelClient, type ModelClient } from '../model/index.ts';

const EMBED_TIMEOUT_MS = 60_000;

export interface Embedder {
  readonly model: string;
  /** One vector per text, all of the model's dimension. Throws when the model is missing or unreachable. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export function createEmbedder(config: Pick<ReinConfig, 'model' | 'providers' | 'policy' | 'machinePolicy'> & Partial<Pick<ReinConfig, 'dataDir'>>, model: string): Embedder {
  let client: ModelClient | Error;
  try {
    client = createModelClient(resolveModelRef(config, model), { retry: { retries: 0 }, ...(config.dataDir ? { dataDir: config.dataDir } : {}) });
  } catch (error) {
    client = error as Error; // e.g. refused by policy.model_egress: every call says so, recall stays text-only
  }
  return {
    model,
    async embed(texts, parent) {
      if (!texts.length) return [];
      if (client instanceof Error) throw client;
      if (!client.embed) throw new Error(`the ${client.provider} provider has no embedding models: set memory.embed_model to a local one, e.g. ollama:nomic-embed-text`);
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
