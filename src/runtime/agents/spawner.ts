// Runs one subagent: a fresh Rein serving MCP over stdio (a local process or a container), called once with
// `run_agent`, then ended. Its model calls come back to this Rein over the same channel (model-relay.ts).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, ProgressNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { RunEvent, RunStatus, SubagentExit, UserAnswer, UserQuestion, Usage } from '../../common/index.ts';
import { TimeoutError, errorMessage, formatSeconds, raceAbort, withTimeout } from '../base/index.ts';
import { resolveModelRef, type ReinConfig } from '../config/index.ts';
import { modelUrlInContainer, type ContainerEngine } from '../containers/index.ts';
import type { ModelClient } from '../model/index.ts';
import { localCommand, type BackendName, type ChildCommand, type ChildLaunch } from './backends.ts';
import { createChildHome } from './child-config.ts';
import { ContainerBackend } from './container-backend.ts';
import { Limiter } from './limiter.ts';
import { relayModel, type EmbedderFor } from './model-relay.ts';
import { answerToElicitation, eventFromProgress, questionFromElicitation } from './protocol.ts';
import { RunningChild } from './running-child.ts';
import { allowedTools, resolveRole, type AgentRole } from './roles.ts';
import { ENV_TRACEPARENT, scopeToEnv } from './scope.ts';
import { parseRunOutput } from './run-output.ts';

export interface SpawnRequest {
  goal: string;
  role?: string;
  inputs?: Record<string, unknown>;
}

export interface SpawnedInfo {
  agentId: string;
  role: string;
  backend: BackendName;
  pid?: number;
  container?: string;
  engine?: ContainerEngine['name'];
  startupMs: number;
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
  /** The parent's client for a model (`ref`: a role's model; none: the parent's own): it answers the subagent's model
   * calls, unless its container reaches the model server itself. */
  model?: (ref?: string) => ModelClient;
  /** The parent's embedding model of a name: answers the subagent's embedding requests. */
  embedder?: EmbedderFor;
  onSpawned?(info: SpawnedInfo): void;
  onEvent?(agentId: string, event: RunEvent): void;
}

export interface SubagentResult {
  agentId: string;
  role: string;
  status: RunStatus;
  answer?: string;
  /** Why the subagent did not complete: crash, memory, timeout, abort, refused. */
  error?: string;
  steps: number;
  usage: Usage;
  sessionId?: string;
  durationMs: number;
  exit: SubagentExit;
}

export interface SpawnerOptions {
  config: ReinConfig;
  /** Depth of this Rein (0 top level). */
  depth: number;
  /** Overrides how the child process is started (tests, the desktop app). */
  command?: (launch: ChildLaunch, agentId: string) => ChildCommand;
}

const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0 };

export class SubagentSpawner {
  private readonly options: SpawnerOptions;
  private readonly limiter: Limiter;
  private readonly containers: ContainerBackend | undefined;
  private readonly running = new Set<AbortController>();
  private readonly inFlight = new Set<Promise<void>>();
  private counter = 0;

  constructor(options: SpawnerOptions) {
    this.options = options;
    this.limiter = new Limiter(options.config.agents.max_concurrent);
    if (options.config.agents.backend === 'container' && !options.command) this.containers = new ContainerBackend(options.config);
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
      const engine = this.containers ? await raceAbort(this.containers.engine(), limit.signal) : undefined;
      child = this.launch(engine, role, roleName, agentId, hooks);
      relayQuestions(child.client, `subagent ${agentId}`, hooks);
      const model = hooks.model;
      if (child.modelViaParent && model) relayModel(child.client, () => model(role.model), hooks.embedder);
      // Our own handler, not callTool's onprogress: the SDK drops progress that is processed after the response,
      // and the child's last events (run.finished) travel right before it.
      child.client.setNotificationHandler(ProgressNotificationSchema, (notification) => {
        const event = eventFromProgress(notification.params);
        if (event) hooks.onEvent?.(agentId, event);
      });
      const starting = performance.now();
      await raceAbort(child.connect(), limit.signal);
      hooks.onSpawned?.({
        agentId,
        role: roleName,
        backend: engine ? 'container' : 'local',
        ...(child.pid ? { pid: child.pid } : {}),
        ...(child.container ? { container: child.container.name, engine: child.container.engine.name } : {}),
        startupMs: Math.round(performance.now() - starting),
      });
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
      return finish({ ...output, ...(output.error ? { error: `subagent ${agentId} ${output.status}: ${output.error}` } : {}), exit: { reason: 'done' } });
    } catch (error) {
      const reason = limit.signal.aborted ? limit.signal.reason : error;
      if (reason instanceof TimeoutError) {
        const message = `subagent ${agentId} timed out after ${formatSeconds(agents.timeout_s * 1000)} (agents.timeout_s) and was killed`;
        return finish({ status: 'stopped', error: message, steps: 0, usage: NO_USAGE, exit: { reason: 'timeout' } });
      }
      if (limit.signal.aborted) return finish({ status: 'stopped', error: `subagent ${agentId} stopped: ${errorMessage(reason)}`, steps: 0, usage: NO_USAGE, exit: { reason: 'stopped' } });
      const ended = await child?.endedOnItsOwn();
      const memory = ended && child?.diedForMemory(ended);
      const exit: SubagentExit = {
        reason: memory ? 'memory' : child?.connected ? 'crashed' : 'not-started',
        ...(ended?.code !== undefined && ended.code !== null ? { code: ended.code } : {}),
        ...(ended?.signal ? { signal: ended.signal } : {}),
      };
      const message = memory
        ? `subagent ${agentId} ${memory}${child!.container ? child!.stderrTail() : child!.heapError()}`
        : child?.connected === false
          ? `subagent ${agentId} could not start: ${errorMessage(error)}${child.stderrTail()}`
          : `subagent ${agentId} failed: ${errorMessage(error)}${child?.stderrTail() ?? ''}`;
      return finish({ status: 'failed', error: message, steps: 0, usage: NO_USAGE, exit });
    } finally {
      await child?.end();
      limit.dispose();
      release?.();
      this.running.delete(stop);
    }
  }

  /** The child's ephemeral home, its scope and the command of the configured backend (not started yet). */
  private launch(engine: ContainerEngine | undefined, role: AgentRole, roleName: string, agentId: string, hooks: SpawnHooks): RunningChild {
    const { config, depth } = this.options;
    const containers = engine ? this.containers : undefined;
    containers?.checkMounts(role, roleName);
    // Only a container with a route to the model server calls it directly; every other subagent asks its parent.
    const direct = containers?.network(role) === 'model-host';
    const model = role.model ? resolveModelRef(config, role.model) : config.model;
    const modelHost = direct && model.base_url ? modelUrlInContainer(model.base_url) : undefined;
    const home = createChildHome(config, role, { ...(modelHost ? { modelHost } : {}), inContainer: Boolean(containers) });
    const heapMb = role.memory_mb && !containers ? Math.min(role.memory_mb, config.agents.max_heap_mb) : config.agents.max_heap_mb;
    const roleLimit = `agents.roles.${roleName}.memory_mb`;
    const heapKey = heapMb === role.memory_mb && !containers ? roleLimit : 'agents.max_heap_mb';
    const launch: ChildLaunch = {
      agentId,
      ...(hooks.runId ? { runId: hooks.runId } : {}),
      home: home.dir,
      configFile: home.configFile,
      heapMb,
      memoryMb: role.memory_mb ?? config.agents.container.memory_mb ?? config.agents.max_heap_mb + 256,
      // Settings reach every backend as environment variables: the scope and the trace context (secrets separately).
      scopeEnv: {
        ...scopeToEnv({ depth: depth + 1, tools: allowedTools(role.tools, hooks.parentTools), skills: role.skills, role: roleName, model: direct ? 'direct' : 'parent' }),
        ...(hooks.traceparent ? { [ENV_TRACEPARENT]: hooks.traceparent } : {}),
      },
      secretEnv: home.secretEnv,
    };
    try {
      const heap = { mb: heapMb, key: heapKey };
      if (this.options.command) return new RunningChild(this.options.command(launch, agentId), home.remove, { modelViaParent: !direct, heap });
      if (!engine || !containers) return new RunningChild(localCommand(launch), home.remove, { modelViaParent: true, heap });
      const name = `rein-agent-${process.pid}-${agentId.split('#')[1]}-${Math.random().toString(36).slice(2, 6)}`;
      return new RunningChild(containers.command(engine, launch, role, name), home.remove, {
        modelViaParent: !direct,
        heap,
        container: { engine, name, memoryMb: launch.memoryMb, limitKey: role.memory_mb ? roleLimit : 'agents.container.memory_mb' },
      });
    } catch (error) {
      home.remove();
      throw error;
    }
  }

  /** Stops every running subagent and waits for their processes (and containers) to end. */
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
