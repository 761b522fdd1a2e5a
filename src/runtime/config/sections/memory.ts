import { z } from 'zod';

export const memorySchema = z.strictObject({
  /** Default: <data dir>/rein.db */
  path: z.string().min(1).optional(),
  max_working_tokens: z.int().min(256).max(1_048_576).default(8000),
});
