// The agents capability: `spawn_subagent` for the model (when agents.enabled and below max_depth), the limits a
// parent put on this process when it is itself a subagent, and roles for `run_agent` calls over MCP.
import fs from 'node:fs';
import path from 'node:path';
import type { RunEventInput } from '../../common/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { RunHooks } from '../loop/index.ts';
import { createEmbedder, type Embedder } from '../memory/index.ts';
import type { ToolMiddleware } from '../tools/index.ts';
import { CHILD_HOME_PREFIX } from './child-config.ts';
import { reapLeftovers } from './leftovers.ts';
import { SubagentError } from './errors.ts';
import { matchesAny, resolveRole, type AgentRole } from './roles.ts';
import { scopeFromEnv, type AgentScope } from './scope.ts';
import { spawnSubagentTool } from './spawn-tool.ts';
import type { SpawnerOptions, SubagentSpawner } from './spawner.ts';

export interface SkillSummary {
  name: string;
  description: string;
}

/** Supplied by the skills capability; until it is wired, `list_skills` says so. */
export type SkillProvider = () => SkillSummary[];

/** Supplied by the telemetry capability: the W3C `traceparent` a subagent started by this call continues. */
export type TraceContextProvider = (runId: string, callId: string) => string | undefined;

export interface AgentsExtensionOptions {
  /** Where REIN_AGENT_* come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** How child processes are started (default: this Node running bin/rein.mjs, or a container). */
  command?: SpawnerOptions['command'];
}

export class AgentsExtension implements RuntimeExtension {
  readonly name = 'agents';
  readonly scope: AgentScope;
  private readonly config: ReinConfig;
  private readonly options: AgentsExtensionOptions;
  /** Made at the first spawn: the spawner is an MCP SDK client, which a run that spawns nothing never loads. */
  private spawner: Promise<SubagentSpawner> | undefined;
  private skills: SkillProvider | undefined;
  private traceContext: TraceContextProvider | undefined;
  private readonly emitters = new Map<string, (event: RunEventInput) => void>();
  private readonly runRoles = new Map<string, AgentRole>();
  private readonly pending = new Map<string, Set<Promise<void>>>();
  private readonly embedders = new Map<string, Embedder>();
  /** Container backend: the removal of containers a crashed Rein left behind, started at start-up. */
  reaped: Promise<void> = Promise.resolve();

  constructor(config: ReinConfig, options: AgentsExtensionOptions = {}) {
    this.config = config;
    this.options = options;
    this.scope = scopeFromEnv(options.env ?? process.env);
  }

  start(host: ExtensionHost): void {
    if (this.scope.tools) host.guard.use(this.allowListMiddleware(new Set(this.scope.tools)));
    if (this.config.agents.backend === 'container' && this.scope.depth === 0) this.reaped = reapLeftovers(this.config, host);
    if (!this.config.agents.enabled || this.scope.depth >= this.config.agents.max_depth) return;
    const spawner = () =>
      (this.spawner ??= import('./spawner.ts').then(
        ({ SubagentSpawner }) => new SubagentSpawner({ config: this.config, depth: this.scope.depth, ...(this.options.command ? { command: this.options.command } : {}) }),
      ));
    host.registry.add(
      spawnSubagentTool(this.config.agents, (request, context) => {
        const emit = this.emitters.get(context.runId) ?? (() => undefined);
        const traceparent = this.traceContext?.(context.runId, context.callId);
        const { callId } = context;
        const spawning = spawner()
          .then((loaded) =>
            loaded.run(request, {
              signal: context.signal,
              parentTools: host.registry.names(),
              runId: context.runId,
              ...(traceparent ? { traceparent } : {}),
              ask: (question, signal) => host.ask(question, signal),
              model: (ref) => (ref ? host.modelFor(ref) : host.model),
              embedder: (model) => this.embedderFor(host.config, model),
              onSpawned: (info) => emit({ type: 'agent.spawned', ...info, goal: request.goal, callId }),
              onEvent: (agentId, event) => emit({ type: 'agent.event', agentId, event }),
            }),
          )
          .then((result) => {
            const { agentId, status, answer, error, steps, usage, durationMs, exit } = result;
            emit({ type: 'agent.finished', agentId, status, ...(answer !== undefined ? { answer } : {}), ...(error ? { error } : {}), steps, usage, durationMs, exit, callId });
            return result;
          });
        this.pendingOf(context.runId).add(spawning.then(() => undefined, () => undefined));
        return spawning;
      }),
    );
  }

  readonly hooks: RunHooks = {
    name: 'agents',
    onRunStart: (context) => {
      this.emitters.set(context.runId, context.emit);
      const prompt = this.runRoles.get(context.runId)?.system_prompt;
      return prompt ? { system: [prompt] } : [];
    },
    selectTools: (tools, _messages, context) => tools.filter((tool) => this.allows(context.runId, tool.name)),
    onRunFinish: async (_result, context) => {
      // An aborted tool call returns at once; its subagent ends here, before run.finished, so none outlives the run.
      await Promise.all(this.pending.get(context.runId) ?? []);
      this.pending.delete(context.runId);
      this.emitters.delete(context.runId);
      this.runRoles.delete(context.runId);
    },
  };

  /** The parent's embedder of a model name, made once (a subagent asks for its memory.embed_model). */
  private embedderFor(config: ReinConfig, model: string): Embedder {
    let embedder = this.embedders.get(model);
    if (!embedder) this.embedders.set(model, (embedder = createEmbedder(config, model)));
    return embedder;
  }

  /** Wired by the shell to the skills capability. */
  setSkillProvider(provider: SkillProvider): void {
    this.skills = provider;
  }

  /** Wired to the telemetry capability when it is on: each subagent's run joins its parent's trace. */
  setTraceContext(provider: TraceContextProvider): void {
    this.traceContext = provider;
  }

  listSkills(): { skills: SkillSummary[]; note?: string } {
    if (!this.skills) return { skills: [], note: 'no skill registry is connected to this Rein yet' };
    const allowed = this.scope.skills;
    return { skills: this.skills().filter((skill) => !allowed || allowed.includes(skill.name)) };
  }

  /** Throws for a role not in agents.roles. */
  checkRole(name: string): void {
    resolveRole(this.config.agents, name);
  }

  /** A `run_agent` call over MCP named a role: its system prompt and tool subset apply to that run. */
  assignRole(runId: string, name: string): void {
    this.runRoles.set(runId, resolveRole(this.config.agents, name).role);
  }

  async close(): Promise<void> {
    await this.spawner?.then((loaded) => loaded.close(), () => undefined);
    // A subagent removes its ephemeral home itself too, so nothing stays behind even if its parent was killed.
    if (this.scope.depth > 0 && path.basename(this.config.dataDir).startsWith(CHILD_HOME_PREFIX)) {
      fs.rmSync(this.config.dataDir, { recursive: true, force: true });
    }
  }

  private pendingOf(runId: string): Set<Promise<void>> {
    let set = this.pending.get(runId);
    if (!set) this.pending.set(runId, (set = new Set()));
    return set;
  }

  private allows(runId: string, tool: string): boolean {
    if (this.scope.tools && !this.scope.tools.includes(tool)) return false;
    const role = this.runRoles.get(runId);
    return !role || matchesAny(role.tools, tool);
  }

  private allowListMiddleware(allowed: Set<string>): ToolMiddleware {
    return (call, next) => {
      if (allowed.has(call.tool.name) && this.allows(call.runId, call.tool.name)) return next();
      const error = new SubagentError(`tool "${call.tool.name}" is not allowed for this subagent (role ${this.scope.role ?? '?'}: ${[...allowed].join(', ') || 'no tools'})`);
      return Promise.resolve({ ok: false, error: error.message, durationMs: 0 });
    };
  }
}
