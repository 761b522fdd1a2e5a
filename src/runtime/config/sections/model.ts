import { z } from 'zod';

export const modelSchema = z.strictObject({
  provider: z.enum(['ollama']).default('ollama'),
  name: z.string().min(1).default('qwen3:4b'),
  host: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:11434'),
  temperature: z.number().min(0).max(2).default(0.2),
  /** Context window sent as options.num_ctx. Unset: the model's own context length (capped, see README). */
  num_ctx: z.int().min(512).max(1_048_576).optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  /** Reasoning for thinking models (Ollama `think`); unset: the model's default. */
  think: z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]).optional(),
});
