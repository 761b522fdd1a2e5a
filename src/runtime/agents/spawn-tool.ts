// The `spawn_subagent` tool: the parent's model hands a sub-task to a fresh Rein process.
import type { AgentsConfig } from '../config/index.ts';
import type { Tool } from '../tools/index.ts';
import { SubagentError } from './errors.ts';
import { DEFAULT_ROLE } from './roles.ts';
import type { SubagentResult } from './spawner.ts';

export const SPAWN_TOOL = 'spawn_subagent';

export function spawnSubagentTool(agents: AgentsConfig, run: (args: { goal: string; role?: string; inputs?: Record<string, unknown> }, context: { runId: string; callId: string; signal: AbortSignal }) => Promise<SubagentResult>): Tool {
  const roles = Object.entries(agents.roles).map(([name, role]) => `${name}${role.description ? ` (${role.description})` : ''}`);
  return {
    name: SPAWN_TOOL,
    description:
      'Hand a self-contained sub-task to a fresh helper agent with its own context; it returns its answer. ' +
      `Several calls in one turn run in parallel (at most ${agents.max_concurrent} at once). ` +
      `Roles: ${roles.length ? roles.join('; ') : `${DEFAULT_ROLE} (the only one)`}.`,
    parameters: {
      type: 'object',
      properties: {
        goal: { type: 'string', description: 'The sub-task, stated completely: the helper sees nothing else' },
        role: { type: 'string', description: 'Which helper role to use', ...(roles.length ? { enum: Object.keys(agents.roles) } : {}) },
        inputs: { type: 'object', description: 'Data the helper needs' },
      },
      required: ['goal'],
      additionalProperties: false,
    },
    // Like the sandbox: the subagent can do nothing its parent's policy would not allow (its approvals come back
    // here), so starting one counts as read; its own tool calls are checked one by one.
    capability: 'read',
    source: { kind: 'builtin' },
    parallelSafe: true,
    // The subagent's own wall-clock limit applies; this leaves time to end its process cleanly.
    timeoutMs: agents.timeout_s * 1000 + 15_000,
    run: async (args, context) => {
      const result = await run(
        {
          goal: String(args.goal),
          ...(typeof args.role === 'string' ? { role: args.role } : {}),
          ...(args.inputs && typeof args.inputs === 'object' ? { inputs: args.inputs as Record<string, unknown> } : {}),
        },
        context,
      );
      if (result.error) throw new SubagentError(result.error);
      return { agent: result.agentId, status: result.status, answer: result.answer, steps: result.steps, usage: result.usage };
    },
  };
}
