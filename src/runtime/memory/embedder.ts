// Text → vectors through Ollama's /api/embed (via the ollama client). Reusable by other capabilities (skills).
import { withTimeout } from '../base/index.ts';
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
