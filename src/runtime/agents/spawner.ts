// Runs one subagent: a fresh Rein process serving MCP over stdio, called once with `run_agent`, then ended.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, ProgressNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { RunEvent, RunStatus, UserAnswer, UserQuestion, Usage } from '../../common/index.ts';
import { TimeoutError, errorMessage, formatSeconds, raceAbort, withTimeout } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import { containerModelHost, dockerCommand, dockerRemoveCommand, localCommand, type ChildCommand, type ChildLaunch } from './backends.ts';
import { createChildHome } from './child-config.ts';
import { Limiter } from './limiter.ts';
import { runSync, trackChild } from './processes.ts';
import { answerToElicitation, eventFromProgress, questionFromElicitation } from './protocol.ts';
import { allowedTools, resolveRole, type AgentRole } from './roles.ts';
import { ENV_TRACEPARENT, scopeToEnv } from './scope.ts';
import { parseRunOutput } from './run-output.ts';

export interface SpawnRequest {
  goal: string;
  role?: string;
  inputs?: Record<string, unknown>;
}

export interface SpawnHooks {
  signal: AbortSignal;
  /** The parent's tool names; the child gets at most these. */
  parentTools: string[];
  /** The parent's run, for questions the child asks. */
  runId?: string;
  /** W3C trace context of the spawning call: the child's run continues this trace (TRACEPARENT). */
  traceparent?: string;
  ask(question: UserQuestion, signal?: AbortSignal): Promise<UserAnswer>;
  onSpawned?(info: { agentId: string; role: string; pid?: number }): void;
  onEvent?(agentId: string, event: RunEvent): void;
}

export interface SubagentResult {
  agentId: string;
  role: string;
  status: RunStatus;
  answer?: string;
  /** Why the subagent did not complete: crash, timeout, abort, refused. */
  error?: string;
  steps: number;
  usage: Usage;
  sessionId?: string;
  durationMs: number;
}

export interface SpawnerOptions {
  config: ReinConfig;
  /** Depth of this Rein (0 top level). */
  depth: number;
  /** Overrides how the child process is started (tests, the desktop app). */
  command?: (launch: ChildLaunch, agentId: string) => ChildCommand;
}

const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0 };
const STDERR_TAIL = 2000;

export class SubagentSpawner {
  private readonly options: SpawnerOptions;
  private readonly limiter: Limiter;
  private readonly running = new Set<AbortController>();
  private readonly inFlight = new Set<Promise<void>>();
  private counter = 0;

  constructor(options: SpawnerOptions) {
    this.options = options;
    this.limiter = new Limiter(options.config.agents.max_concurrent);
  }

  /** Never throws for a failing child: the result says what went wrong. Throws for an unknown role. */
  run(request: SpawnRequest, hooks: SpawnHooks): Promise<SubagentResult> {
    const running = this.runChild(request, hooks);
    const settled = running.then(() => undefined, () => undefined);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return running;
  }

  private async runChild(request: SpawnRequest, hooks: SpawnHooks): Promise<SubagentResult> {
    const { agents } = this.options.config;
    const { name: roleName, role } = resolveRole(agents, request.role);
    const agentId = `${roleName}#${++this.counter}`;
    const started = performance.now();
    const finish = (outcome: Omit<SubagentResult, 'agentId' | 'role' | 'durationMs'>): SubagentResult => ({
      agentId, role: roleName, ...outcome, durationMs: Math.round(performance.now() - started),
    });
    const stop = new AbortController();
    this.running.add(stop);
    const limit = withTimeout(AbortSignal.any([hooks.signal, stop.signal]), agents.timeout_s * 1000, `subagent ${agentId}`);
    let release: (() => void) | undefined;
    let child: RunningChild | undefined;
    try {
      release = await this.limiter.acquire(limit.signal);
      child = this.launch(role, roleName, agentId, hooks.parentTools, hooks.traceparent);
      relayQuestions(child.client, `subagent ${agentId}`, hooks);
      // Our own handler, not callTool's onprogress: the SDK drops progress that is processed after the response,
      // and the child's last events (run.finished) travel right before it.
      child.client.setNotificationHandler(ProgressNotificationSchema, (notification) => {
        const event = eventFromProgress(notification.params);
        if (event) hooks.onEvent?.(agentId, event);
      });
      await raceAbort(child.connect(), limit.signal);
      hooks.onSpawned?.({ agentId, role: roleName, ...(child.pid ? { pid: child.pid } : {}) });
      const reply = await child.client.callTool(
        { name: 'run_agent', arguments: { goal: request.goal, ...(request.inputs ? { inputs: request.inputs } : {}) } },
        undefined,
        {
          signal: limit.signal,
          // A progress token makes the child send its run events.
          onprogress: () => undefined,
          timeout: agents.timeout_s * 1000 + 5000,
        },
      );
      const output = parseRunOutput(reply as Parameters<typeof parseRunOutput>[0]);
      return finish(output.error ? { ...output, error: `subagent ${agentId} ${output.status}: ${output.error}` } : output);
    } catch (error) {
      const reason = limit.signal.aborted ? limit.signal.reason : error;
      const timedOut = reason instanceof TimeoutError;
      const message = timedOut
        ? `subagent ${agentId} timed out after ${formatSeconds(agents.timeout_s * 1000)} (agents.timeout_s) and was killed`
        : limit.signal.aborted
          ? `subagent ${agentId} stopped: ${errorMessage(reason)}`
          : child?.connected === false
            ? `subagent ${agentId} could not start: ${errorMessage(error)}${child.stderrTail()}`
            : `subagent ${agentId} failed: ${errorMessage(error)}${child?.stderrTail() ?? ''}`;
      return finish({ status: timedOut || limit.signal.aborted ? 'stopped' : 'failed', error: message, steps: 0, usage: NO_USAGE });
    } finally {
      await child?.end();
      limit.dispose();
      release?.();
      this.running.delete(stop);
    }
  }

  /** The child's ephemeral home, its scope and the command of the configured backend (not started yet). */
  private launch(role: AgentRole, roleName: string, agentId: string, parentTools: string[], traceparent?: string): RunningChild {
    const { config, depth } = this.options;
    const docker = config.agents.backend === 'docker';
    const home = createChildHome(config, role, docker ? containerModelHost(config.model.base_url) : undefined);
    const launch: ChildLaunch = {
      home: home.dir,
      configFile: home.configFile,
      heapMb: config.agents.max_heap_mb,
      // Settings reach every backend as environment variables: the scope, the secrets by reference, the trace context.
      scopeEnv: {
        ...scopeToEnv({ depth: depth + 1, tools: allowedTools(role.tools, parentTools), skills: role.skills, role: roleName }),
        ...home.secretEnv,
        ...(traceparent ? { [ENV_TRACEPARENT]: traceparent } : {}),
      },
    };
    const container = `rein-agent-${process.pid}-${this.counter}`;
    try {
      const command = this.options.command?.(launch, agentId) ?? (docker ? dockerCommand(launch, { image: config.agents.docker.image, name: container }) : localCommand(launch));
      return new RunningChild(command, home.remove, docker ? () => runSync(dockerRemoveCommand(container)) : undefined);
    } catch (error) {
      home.remove();
      throw error;
    }
  }

  /** Stops every running subagent and waits for their processes to end. */
  async close(): Promise<void> {
    for (const stop of this.running) stop.abort(new Error('runtime shutting down'));
    await Promise.all(this.inFlight);
  }
}

/** Questions a subagent asks (elicitation requests) go to the parent's channel, naming the subagent; answers go back. */
export function relayQuestions(client: Client, asker: string, hooks: Pick<SpawnHooks, 'ask' | 'runId'>): void {
  client.setRequestHandler(ElicitRequestSchema, async (request, extra) =>
    answerToElicitation(await hooks.ask(questionFromElicitation(request.params, asker, hooks.runId), extra.signal)),
  );
}

/** One child process with its MCP client. `end()` closes stdin, then SIGTERM, then SIGKILL (the SDK's 2s grace each). */
class RunningChild {
  readonly client = new Client({ name: 'rein-parent', version: '0.1.0' }, { capabilities: { elicitation: { form: {} } } });
  connected = false;
  pid: number | undefined;
  private readonly transport: StdioClientTransport;
  private readonly removeHome: () => void;
  private readonly cleanup: (() => void) | undefined;
  private untrack: (() => void) | undefined;
  private stderr = '';

  constructor(command: ChildCommand, removeHome: () => void, cleanup?: () => void) {
    this.transport = new StdioClientTransport({ command: command.command, args: command.args, env: command.env, stderr: 'pipe' });
    this.transport.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_TAIL)));
    this.removeHome = removeHome;
    this.cleanup = cleanup;
  }

  async connect(): Promise<void> {
    const connecting = this.client.connect(this.transport);
    // connect() spawns the process synchronously: track its pid before the handshake can fail.
    this.track();
    await connecting;
    this.connected = true;
  }

  private track(): void {
    const pid = this.transport.pid ?? undefined;
    if (pid && !this.untrack) {
      this.pid = pid;
      this.untrack = trackChild({ pid, ...(this.cleanup ? { cleanup: this.cleanup } : {}) });
    }
  }

  stderrTail(): string {
    const tail = this.stderr.trim();
    return tail ? `\n--- its stderr (last lines) ---\n${tail.split('\n').slice(-10).join('\n')}` : '';
  }

  async end(): Promise<void> {
    try {
      await this.client.close();
    } catch {
      // closing a dead child
    }
    this.cleanup?.();
    this.untrack?.();
    this.removeHome();
  }
}
