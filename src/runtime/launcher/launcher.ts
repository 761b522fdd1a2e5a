// Launching runs: the one place a goal becomes a running agent loop (events, trace, abort, per-run questions).
// Runtime owns a Launcher; the API, served runs (agents) and hosts depend only on the RunLauncher interface.
import path from 'node:path';
import type { RunEvent, UserAnswer, UserQuestion } from '../../common/index.ts';
import { AbortedError, ReinError, createRedactor, newId } from '../base/index.ts';
import { isLoopbackHost, type ReinConfig } from '../config/index.ts';
import type { ResumePoint } from '../extension.ts';
import { DEFAULT_SYSTEM_PROMPT, runAgent, type RunHooks, type RunResult } from '../loop/index.ts';
import type { ChatMessage, ModelClient } from '../model/index.ts';
import type { ToolGuard, ToolRegistry } from '../tools/index.ts';
import { RunEventStream, writeTrace } from '../trace/index.ts';

export type RunAsker = (question: UserQuestion, signal?: AbortSignal) => Promise<UserAnswer>;

export interface StartRunOptions {
  /** Given by the caller (a worker runs a queued job under the job's id, so another worker can resume it); default a new one. */
  runId?: string;
  signal?: AbortSignal;
  /** A follow-up in a conversation sees its earlier exchanges. */
  history?: readonly ChatMessage[];
  conversationId?: string;
  continues?: string;
  /** A model for this run only (`name`, `<provider id>:name`, `<kind>:name`; a schedule's, a conversation's). */
  model?: string;
  /** Who answers this run's questions (approvals, elicitation) instead of the runtime's asker. */
  ask?: RunAsker;
}

export interface RunHandle {
  runId: string;
  goal: string;
  events: RunEventStream;
  result: Promise<RunResult>;
  abort(reason?: string): void;
}

/** How runs are started and found. Runtime implements it; nothing that launches runs needs more. */
export interface RunLauncher {
  readonly config: ReinConfig;
  startRun(goal: string, options?: StartRunOptions): RunHandle;
  /** Continues an interrupted session (sessionId === its runId) from its last checkpoint, seq numbers continuing. */
  resumeRun(sessionId: string, options?: Pick<StartRunOptions, 'signal' | 'ask'>): Promise<RunHandle>;
  getRun(runId: string): RunHandle | undefined;
  listRuns(): RunHandle[];
  /** The run is in this process and has not finished. */
  isLive(runId: string): boolean;
  /** Every event of every run; returns an unsubscribe function. */
  onEvent(listener: (event: RunEvent) => void): () => void;
}

/** What a run needs from its runtime, resolved once the runtime's capabilities have started. */
export interface RunParts {
  registry: ToolRegistry;
  guard: ToolGuard;
  /** The run hooks of a run on this model, in order. */
  hooks(model: ModelClient): RunHooks[];
}

export interface LauncherDeps {
  config(): ReinConfig;
  /** The model of a run: the current one, or the named one for this run only. */
  model(name?: string): ModelClient;
  /** Starts the runtime's capabilities (once) and hands over what runs use. */
  prepare(): Promise<RunParts>;
  /** Where session `sessionId` continues; throws when it cannot. */
  resumePoint(sessionId: string): Promise<ResumePoint>;
  /** Write every run's events to <dataDir>/traces/<runId>.jsonl. */
  trace: boolean;
}

export class Launcher implements RunLauncher {
  private readonly deps: LauncherDeps;
  private readonly runs = new Map<string, RunHandle>();
  private readonly askers = new Map<string, RunAsker>();
  private readonly listeners = new Set<(event: RunEvent) => void>();

  constructor(deps: LauncherDeps) {
    this.deps = deps;
  }

  get config(): ReinConfig {
    return this.deps.config();
  }

  startRun(goal: string, options: StartRunOptions = {}): RunHandle {
    const { runId = newId('run'), ...rest } = options;
    if (this.isLive(runId)) throw new ReinError(`run ${runId} is already running`);
    return this.launch(runId, goal, rest);
  }

  async resumeRun(sessionId: string, options: Pick<StartRunOptions, 'signal' | 'ask'> = {}): Promise<RunHandle> {
    if (this.isLive(sessionId)) throw new ReinError(`session ${sessionId} is still running`);
    await this.deps.prepare();
    const point = await this.deps.resumePoint(sessionId);
    return this.launch(sessionId, point.goal, { ...options, lastSeq: point.lastSeq, resume: point.state });
  }

  getRun(runId: string): RunHandle | undefined {
    return this.runs.get(runId);
  }

  listRuns(): RunHandle[] {
    return [...this.runs.values()];
  }

  isLive(runId: string): boolean {
    const run = this.runs.get(runId);
    return run !== undefined && run.events.events().at(-1)?.type !== 'run.finished';
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The asker of the run a question belongs to; a question naming no run goes to the only live run with an asker
   * of its own (an MCP server's elicitation does not say which run caused it). Undefined: the runtime's asker.
   */
  askerFor(question: UserQuestion): RunAsker | undefined {
    if (question.runId) return this.askers.get(question.runId);
    const live = [...this.askers.keys()].filter((runId) => this.isLive(runId));
    return live.length === 1 ? this.askers.get(live[0]!) : undefined;
  }

  /** Aborts every run and waits until they have finished. */
  async abortAll(reason: string): Promise<void> {
    const pending = [...this.runs.values()];
    for (const run of pending) run.abort(reason);
    await Promise.allSettled(pending.map((run) => run.result));
  }

  private launch(runId: string, goal: string, options: StartRunOptions & { lastSeq?: number; resume?: ResumePoint['state'] }): RunHandle {
    const config = this.config;
    const model = this.deps.model(options.model);
    const redact = createRedactor(config.secrets);
    const events = new RunEventStream(runId, options.lastSeq, redact);
    const controller = new AbortController();
    options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
    if (this.deps.trace) events.subscribe(writeTrace(path.join(config.dataDir, 'traces'), runId, redact).write);
    events.subscribe((event) => this.listeners.forEach((listener) => listener(event)));
    if (options.ask) this.askers.set(runId, options.ask);
    const result = this.deps
      .prepare()
      // The model's details first (cached; the first step needs them anyway): a model the server picks has its name then.
      .then(async (parts) => (await model.info(controller.signal).then(() => parts, () => parts)))
      .then(({ registry, guard, hooks }) =>
        runAgent(
          {
            model,
            registry,
            guard,
            limits: config.runtime,
            systemPrompt: config.runtime.system_prompt ?? DEFAULT_SYSTEM_PROMPT,
            hooks: hooks(model),
            cloud: isRemoteLocation(model.location),
          },
          {
            runId,
            goal,
            signal: controller.signal,
            emit: (event) => events.emit(event),
            ...(options.resume ? { resume: options.resume } : {}),
            ...(options.history ? { history: options.history } : {}),
            ...(options.conversationId ? { conversationId: options.conversationId } : {}),
            ...(options.continues ? { continues: options.continues } : {}),
          },
        ),
      )
      .finally(() => this.askers.delete(runId));
    const handle: RunHandle = { runId, goal, events, result, abort: (reason = 'stopped by the user') => controller.abort(new AbortedError(reason)) };
    this.runs.set(runId, handle);
    return handle;
  }
}

/** A server URL on another machine (a model in Rein's own process has no URL). */
function isRemoteLocation(location: string): boolean {
  try {
    return /^https?:/.test(location) && !isLoopbackHost(new URL(location).hostname);
  } catch {
    return false;
  }
}
