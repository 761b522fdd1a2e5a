import { z } from 'zod';

const positiveSeconds = z.number().positive().max(86_400);

export const modelSchema = z.strictObject({
  provider: z.enum(['ollama']).default('ollama'),
  name: z.string().min(1).default('qwen3:4b'),
  host: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:11434'),
  temperature: z.number().min(0).max(2).default(0.2),
  /** Context window sent as options.num_ctx. Unset: the model's own context length (capped, see README). */
  num_ctx: z.int().min(512).max(1_048_576).optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
});

export const runtimeSchema = z.strictObject({
  max_steps: z.int().min(1).max(1000).default(25),
  step_timeout_s: positiveSeconds.default(120),
  tool_timeout_s: positiveSeconds.default(20),
  max_output_chars: z.int().min(200).max(10_000_000).default(16_000),
  loop_window: z.int().min(2).max(100).default(4),
  max_reflections: z.int().min(0).max(20).default(3),
  model_retries: z.int().min(0).max(10).default(3),
  system_prompt: z.string().optional(),
});

const toolFilter = z.strictObject({
  allow: z.array(z.string().min(1)).optional(),
  deny: z.array(z.string().min(1)).optional(),
});

const serverName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/, 'use letters, digits, "_" or "-" (at most 48)');

const serverCommon = {
  name: serverName,
  enabled: z.boolean().default(true),
  timeout_s: positiveSeconds.default(30),
  tools: toolFilter.optional(),
};

export const mcpServerSchema = z.union([
  z.strictObject({
    ...serverCommon,
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
  }),
  z.strictObject({
    ...serverCommon,
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string()).default({}),
  }),
]);

export const skillsSchema = z.strictObject({
  registry: z.string().min(1).default('./skills'),
  auto_learn: z.boolean().default(true),
  min_confidence: z.number().min(0).max(1).default(0.4),
});

export const memorySchema = z.strictObject({
  /** Default: <data dir>/rein.db */
  path: z.string().min(1).optional(),
  max_working_tokens: z.int().min(256).max(1_048_576).default(8000),
});

export const configSchema = z.strictObject({
  model: modelSchema.prefault({}),
  runtime: runtimeSchema.prefault({}),
  mcp_servers: z
    .array(mcpServerSchema)
    .default([])
    .refine((servers) => new Set(servers.map((s) => s.name)).size === servers.length, {
      message: 'server names must be unique',
    }),
  skills: skillsSchema.prefault({}),
  memory: memorySchema.prefault({}),
  policy: z.strictObject({}).prefault({}),
});

export type ConfigFile = z.output<typeof configSchema>;
export type ModelConfig = ConfigFile['model'];
export type RuntimeLimits = ConfigFile['runtime'];
export type McpServerConfig = ConfigFile['mcp_servers'][number];
