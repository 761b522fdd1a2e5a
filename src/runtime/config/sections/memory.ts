import { z } from 'zod';

export const memorySchema = z.strictObject({
  /** Default: <data dir>/rein.db */
  path: z.string().min(1).optional(),
  max_working_tokens: z.int().min(256).max(1_048_576).default(8000),
  /** Ollama embedding model for semantic recall; unavailable → full-text recall only. */
  embed_model: z.string().min(1).default('nomic-embed-text'),
  /** Compact the working context once its estimate crosses this share of the budget. */
  compact_threshold: z.number().min(0.2).max(1).default(0.75),
  /** Notes recalled for a new goal and returned by the `recall` tool. */
  recall_limit: z.int().min(0).max(50).default(5),
});
