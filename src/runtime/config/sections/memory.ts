import { z } from 'zod';

export const memorySchema = z.strictObject({
  /** Default: <data dir>/rein.db */
  path: z.string().min(1).optional(),
  /** Sessions, events, checkpoints (and the host's shared state): `sqlite:<path>` (default: memory.path) or `postgres://…`. */
  episodic: z.string().min(1).optional(),
  /** Notes and their vectors: `same` (as episodic, the default), `postgres://…`, or `qdrant://host:port/collection` (vectors only). */
  semantic: z.string().min(1).optional(),
  max_working_tokens: z.int().min(256).max(1_048_576).default(8000),
  /** Ollama embedding model for semantic recall; unavailable → full-text recall only. */
  embed_model: z.string().min(1).default('nomic-embed-text'),
  /** High-water mark: compact once the prompt's estimate (tools included) crosses this share of the budget. */
  compact_threshold: z.number().min(0.2).max(1).default(0.9),
  /** Low-water mark: a compaction drops the oldest turns until the prompt is below this share (rarely compacts again). */
  compact_target: z.number().min(0.05).max(0.9).default(0.3),
  /**
   * How the summary is made: `in_context` appends the request to the current prompt (the model server reuses its
   * cache, only the request is evaluated); `separate` sends the dropped turns in a prompt of their own.
   */
  compact_mode: z.enum(['in_context', 'separate']).default('in_context'),
  /**
   * Tool results stay verbatim in the prompt for this many model turns; older bulky ones show as one-line stubs (no
   * model call, the full text stays in the run's history and log). More turns: more recall, more tokens each step.
   */
  verbatim_turns: z.int().min(1).max(100).default(1),
  /** The longest note (in characters) that `remember` or the user may write; longer ones are refused, saying so. */
  max_note_chars: z.int().min(100).max(1_000_000).default(20_000),
  /** Notes recalled for a new goal and returned by the `recall` tool. */
  recall_limit: z.int().min(0).max(50).default(5),
}).refine((m) => m.compact_target < m.compact_threshold, { message: 'compact_target must be below compact_threshold', path: ['compact_target'] });
