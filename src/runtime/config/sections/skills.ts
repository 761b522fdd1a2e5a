import { z } from 'zod';

export const skillsSchema = z.strictObject({
  /** Bundled/project skills (JSON documents and `<name>/SKILL.md` folders). */
  registry: z.string().min(1).default('./skills'),
  /** The user's own and learned skills. Default: <data dir>/skills */
  user_dir: z.string().min(1).optional(),
  auto_learn: z.boolean().default(true),
  min_confidence: z.number().min(0).max(1).default(0.4),
  /** Skills listed (name + description) in a run's system prompt. */
  max_listed: z.int().min(0).max(50).default(5),
  /** Skills whose full instructions are injected up front; the others load with `load_skill`. */
  max_injected: z.int().min(0).max(10).default(1),
  /** Learned skills are saved with `approved: false` and not used until `rein skills approve <name>`. */
  learned_need_approval: z.boolean().default(true),
  /** Cosine similarity above which a learned skill updates an existing one instead of adding a new one. */
  duplicate_similarity: z.number().min(0).max(1).default(0.9),
});
