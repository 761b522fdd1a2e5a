import { z } from 'zod';
import { positiveSeconds } from './common.ts';

const roleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/, 'use letters, digits, "_" or "-" (at most 48)');

/** What a subagent container may reach: nothing (its model through the parent's stdio), or the model server too. */
const networkSchema = z.enum(['none', 'model-host']);

/** A host path a role's container sees (read-only unless `writable`); the local backend sees the whole disk anyway. */
const mountSchema = z.strictObject({
  source: z.string().min(1).refine((value) => value.startsWith('/'), 'must be an absolute host path'),
  /** Where it appears inside the container (default: the same path). */
  target: z.string().min(1).refine((value) => value.startsWith('/'), 'must be an absolute path in the container').optional(),
  writable: z.boolean().default(false),
});

const roleSchema = z.strictObject({
  description: z.string().default(''),
  /** Tool name globs (`*` matches any run of characters); the child gets only tools its parent has too. */
  tools: z.array(z.string().min(1)).default(['*']),
  /** Skill names the child may use; empty: none. */
  skills: z.array(z.string().min(1)).default([]),
  system_prompt: z.string().optional(),
  /** Container backend: this role's network (default agents.container.network). */
  network: networkSchema.optional(),
  /** Container backend: host paths this role's container sees. */
  mounts: z.array(mountSchema).default([]),
  /** This role's memory limit: its container's (container backend), or its heap's, at most agents.max_heap_mb (local). */
  memory_mb: z.int().min(16).max(1_048_576).optional(),
  /** The model this role's subagents use: `name`, `<provider id>:name` or `<kind>:name` (default: the parent's). */
  model: z.string().min(1).optional(),
});

const containerSchema = z.strictObject({
  /** `auto`: Podman if it answers, else Docker. */
  engine: z.enum(['auto', 'podman', 'docker']).default('auto'),
  /** Built by `rein agents image build` (default name), or your own image with `rein` as its entrypoint. */
  image: z.string().min(1).optional(),
  /** The engine's OCI runtime (`--runtime`), e.g. runc; empty: the engine's default. */
  runtime: z.string().min(1).optional(),
  cpus: z.number().positive().max(256).default(1),
  /** Memory limit of the container (default: agents.max_heap_mb + 256). */
  memory_mb: z.int().min(16).max(1_048_576).optional(),
  /** Process limit (--pids-limit). */
  pids: z.int().min(16).max(65_536).default(256),
  /** Size of the tmpfs that holds the subagent's data dir. */
  tmpfs_mb: z.int().min(16).max(65_536).default(256),
  network: networkSchema.default('none'),
  /** Appended to `<engine> run` before the image (e.g. ["--security-opt", "seccomp=/etc/rein/seccomp.json"]). */
  extra_args: z.array(z.string()).default([]),
});

export const agentsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  backend: z
    .enum(['local', 'container'], {
      error: (issue) => (issue.input === 'docker' ? '"docker" is now "container" (agents.container.engine: docker picks Docker)' : 'expected "local" or "container"'),
    })
    .default('local'),
  container: containerSchema.prefault({}),
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
export type AgentContainerConfig = z.output<typeof containerSchema>;
