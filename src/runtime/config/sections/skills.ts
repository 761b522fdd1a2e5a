import { z } from 'zod';

export const skillsSchema = z.strictObject({
  registry: z.string().min(1).default('./skills'),
  auto_learn: z.boolean().default(true),
  min_confidence: z.number().min(0).max(1).default(0.4),
});
