// Rein as an MCP server: `run_agent` runs the harness on a goal (progress notifications carry the run's events,
// cancellation aborts the run, questions go to the client as elicitation), `list_skills` lists what it knows.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ElicitResultSchema, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import type { RunEvent, UserQuestion } from '../../common/index.ts';
import type { RunLauncher } from '../launcher/index.ts';
import { SubagentError } from './errors.ts';
import type { AgentsExtension } from './extension.ts';
import { EVENT_META, answerFromElicitation, describeEvent, questionToElicitation } from './protocol.ts';
import type { RunOutput } from './run-output.ts';
import { localServedRuns, type ServedRuns } from './served-runs.ts';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Streaming fragments stay in the child; everything else reaches the client. */
const UNFORWARDED = new Set<RunEvent['type']>(['model.delta', 'model.thinking']);

const usageShape = z.object({ promptTokens: z.number(), completionTokens: z.number() });
const runOutputShape = {
  status: z.enum(['completed', 'stopped', 'failed']),
  answer: z.string().optional(),
  reason: z.string().optional(),
  steps: z.number(),
  usage: usageShape,
  sessionId: z.string(),
};

/** One per served runtime (or host); makes an McpServer per connection (stdio: one, HTTP: one per session). */
export interface HarnessOptions {
  /** Told of each server made (a subagent's model channel uses the one of its stdio connection). */
  onServer?(server: McpServer): void;
}

export class ReinMcpHarness {
  private readonly runs: ServedRuns;
  private readonly options: HarnessOptions;
  private served = 0;

  /** Runs in `source` — a runtime of this process, or served runs elsewhere (the host). */
  constructor(source: RunLauncher | ServedRuns, agents?: AgentsExtension, options: HarnessOptions = {}) {
    this.runs = 'run' in source && 'maxRuns' in source ? source : localServedRuns(source as RunLauncher, agents);
    this.options = options;
  }

  createServer(): McpServer {
    const server = new McpServer({ name: 'rein', version: '0.1.0' }, { capabilities: { tools: {} } });
    this.options.onServer?.(server);
    server.registerTool(
      'run_agent',
      {
        title: 'Run a Rein agent',
        description: 'Runs the Rein agent harness (local model, its tools, skills and memory) on a goal and returns its answer.',
        inputSchema: {
          goal: z.string().min(1).describe('What the agent should achieve'),
          inputs: z.record(z.string(), z.unknown()).optional().describe('Data the agent needs, given to it as JSON'),
          role: z.string().optional().describe('A role from agents.roles (system prompt and tool subset)'),
        },
        outputSchema: runOutputShape,
      },
      async ({ goal, inputs, role }, extra) => {
        const output = await this.runAgent(goal, inputs, role, extra);
        return { content: [{ type: 'text', text: output.answer ?? output.reason ?? output.status }], structuredContent: { ...output }, isError: output.status === 'failed' };
      },
    );
    server.registerTool(
      'list_skills',
      { title: 'List Rein skills', description: 'Lists the skills Rein can use (name and description).', inputSchema: {} },
      async () => {
        const listing = await this.runs.listSkills();
        return { content: [{ type: 'text', text: JSON.stringify(listing) }], structuredContent: { ...listing } };
      },
    );
    return server;
  }

  /** At most agents.max_served_runs runs at once, over all connections; a call beyond that is refused at once. */
  private async runAgent(goal: string, inputs: Record<string, unknown> | undefined, role: string | undefined, extra: Extra): Promise<RunOutput> {
    const limit = this.runs.maxRuns;
    if (this.served >= limit) throw new SubagentError(`busy: ${this.served} run_agent calls are already running (agents.max_served_runs: ${limit}); try again when one has finished`);
    this.served++;
    try {
      return await this.runServed(goal, inputs, role, extra);
    } finally {
      this.served--;
    }
  }

  private async runServed(goal: string, inputs: Record<string, unknown> | undefined, role: string | undefined, extra: Extra): Promise<RunOutput> {
    const fullGoal = inputs && Object.keys(inputs).length ? `${goal}\n\nInputs:\n${JSON.stringify(inputs, null, 2)}` : goal;
    const token = extra._meta?.progressToken;
    let progress = 0;
    // Sent in order, and all before the result: the client drops progress that arrives after the response.
    let sent = Promise.resolve();
    const onEvent = (event: RunEvent) => {
      if (token === undefined || UNFORWARDED.has(event.type)) return;
      const params = { progressToken: token, progress: ++progress, message: describeEvent(event), _meta: { [EVENT_META]: event } };
      sent = sent.then(() => extra.sendNotification({ method: 'notifications/progress', params })).catch(() => undefined);
    };
    const ask = async (question: UserQuestion, signal?: AbortSignal) =>
      answerFromElicitation(await extra.sendRequest({ method: 'elicitation/create', params: questionToElicitation(question) }, ElicitResultSchema, { ...(signal ? { signal } : {}) }));
    const output = await this.runs.run({ goal: fullGoal, ...(role ? { role } : {}), signal: extra.signal, onEvent, ask });
    await sent;
    // Let the last notification leave in its own write: SDK clients drop progress handled after the response.
    await new Promise((resolve) => setImmediate(resolve));
    return output;
  }
}
