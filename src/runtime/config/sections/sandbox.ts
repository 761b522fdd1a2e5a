import { z } from 'zod';

/** Limits of one sandbox execution (run_js, skill code). */
export const sandboxSchema = z.strictObject({
  memory_mb: z.int().min(8).max(4096).default(64),
  cpu_timeout_ms: z.int().min(10).max(600_000).default(2_000),
  wall_timeout_ms: z.int().min(10).max(600_000).default(10_000),
  max_output_chars: z.int().min(100).max(10_000_000).default(16_000),
  /** Tool calls one execution may make through its capabilities. */
  max_tool_calls: z.int().min(0).max(10_000).default(50),
  /** Tools `run_js` code may call (through the guarded path); none by default. */
  run_js_tools: z.array(z.string().min(1)).default([]),
  /** Sandbox worker processes at most (one execution each at a time); more executions wait for a free one. */
  workers: z.int().min(1).max(32).default(2),
  /** An idle worker process ends after this long (it is started again on demand). */
  worker_idle_ms: z.int().min(100).max(3_600_000).default(30_000),
});
