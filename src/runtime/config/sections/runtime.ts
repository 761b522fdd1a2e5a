import { z } from 'zod';
import { positiveSeconds } from './common.ts';

export const runtimeSchema = z.strictObject({
  max_steps: z.int().min(1).max(1000).default(25),
  /** Tool calls run from one model turn; calls beyond this are dropped and the model is told. */
  max_tool_calls_per_turn: z.int().min(1).max(1000).default(16),
  step_timeout_s: positiveSeconds.default(120),
  tool_timeout_s: positiveSeconds.default(20),
  max_output_chars: z.int().min(200).max(10_000_000).default(16_000),
  loop_window: z.int().min(2).max(100).default(4),
  max_reflections: z.int().min(0).max(20).default(3),
  model_retries: z.int().min(0).max(10).default(3),
  system_prompt: z.string().optional(),
  /** More tools than this: each model call gets the most relevant ones, and find_tools for the rest. */
  max_tools_per_turn: z.int().min(1).max(1000).default(16),
});
