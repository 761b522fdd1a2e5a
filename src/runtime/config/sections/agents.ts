import { z } from 'zod';
import { positiveSeconds } from './common.ts';

const roleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/, 'use letters, digits, "_" or "-" (at most 48)');

const roleSchema = z.strictObject({
  description: z.string().default(''),
  /** Tool name globs (`*` matches any run of characters); the child gets only tools its parent has too. */
  tools: z.array(z.string().min(1)).default(['*']),
  /** Skill names the child may use; empty: none. */
  skills: z.array(z.string().min(1)).default([]),
  system_prompt: z.string().optional(),
  /** The model this role's subagents use: `name`, `<provider id>:name` or `<kind>:name` (default: the parent's). */
  model: z.string().min(1).optional(),
});

export const agentsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  backend: z.enum(['local', 'docker']).default('local'),
  docker: z.strictObject({ image: z.string().min(1).default('rein:latest') }).prefault({}),
  max_concurrent: z.int().min(1).max(64).default(3),
  /** `run_agent` calls this Rein serves at once as an MCP server (rein mcp serve); more are refused. */
  max_served_runs: z.int().min(1).max(64).default(4),
  max_depth: z.int().min(0).max(5).default(1),
  timeout_s: positiveSeconds.default(300),
  max_heap_mb: z.int().min(64).max(65_536).default(512),
  max_steps: z.int().min(1).max(1000).default(15),
  roles: z.record(roleName, roleSchema).default({}),
});

export type AgentRoleConfig = z.output<typeof roleSchema>;
