import { z } from 'zod';
import { agentsSchema } from './sections/agents.ts';
import { knowledgeSchema } from './sections/knowledge.ts';
import { mcpServerSchema } from './sections/mcp.ts';
import { memorySchema } from './sections/memory.ts';
import { modelSchema, providersSchema } from './sections/model.ts';
import { policySchema } from './sections/policy.ts';
import { runtimeSchema } from './sections/runtime.ts';
import { sandboxSchema } from './sections/sandbox.ts';
import { schedulesSchema } from './sections/schedules.ts';
import { skillsSchema } from './sections/skills.ts';
import { telemetrySchema } from './sections/telemetry.ts';

// One section file per capability; this file only assembles them.
export const configSchema = z.strictObject({
  model: modelSchema.prefault({}),
  providers: providersSchema,
  runtime: runtimeSchema.prefault({}),
  mcp_servers: z
    .array(mcpServerSchema)
    .default([])
    .refine((servers) => new Set(servers.map((s) => s.name)).size === servers.length, {
      message: 'server names must be unique',
    }),
  skills: skillsSchema.prefault({}),
  memory: memorySchema.prefault({}),
  policy: policySchema.prefault({}),
  sandbox: sandboxSchema.prefault({}),
  agents: agentsSchema.prefault({}),
  schedules: schedulesSchema,
  knowledge: knowledgeSchema.prefault({}),
  telemetry: telemetrySchema.prefault({}),
});

export type ConfigFile = z.output<typeof configSchema>;
export type RuntimeLimits = ConfigFile['runtime'];
export type McpServerConfig = ConfigFile['mcp_servers'][number];
export type AgentsConfig = ConfigFile['agents'];
