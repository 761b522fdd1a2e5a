// Wires the capabilities together; behaviour lives in the capability folders.
import path from 'node:path';
import { NO_ONE_TO_ASK, type RunEvent, type SystemEvent, type SystemEventInput } from '../common/index.ts';
import { AbortedError, ReinError, createRedactor, errorMessage, newId, privateDir } from './base/index.ts';
import { isLoopbackHost, resolveModelRef, type ModelConfig, type ReinConfig } from './config/index.ts';
import { DEFAULT_SYSTEM_PROMPT, contextNotices, runAgent, type RunResult, type RunState } from './loop/index.ts';
import { createModelClient, type ChatMessage, type ModelClient, type RetryPolicy } from './model/index.ts';
import { ToolGuard, ToolRegistry, type Tool } from './tools/index.ts';
import { RunEventStream, writeTrace } from './trace/index.ts';
import { registerServices, type RuntimeServices } from './api/index.ts';
import type { Asker, ExtensionHost, RuntimeExtension } from './extension.ts';
import { defaultExtensions } from './extensions.ts';

export interface RuntimeOptions {
  config: ReinConfig;
  /** Defaults to the provider named in config.model. */
  model?: ModelClient;
  tools?: Tool[];
  retry?: Partial<RetryPolicy>;
  /** Write every run's events to <dataDir>/traces/<runId>.jsonl (default true). */
  trace?: boolean;
  /** Capabilities to plug in; default: defaultExtensions(config). */
  extensions?: RuntimeExtension[];
  /** How to ask the user (approvals, elicitation). Default: nobody can answer → decline. */
  ask?: Asker;
}

export interface RunHandle {
  runId: string;
  goal: string;
  events: RunEventStream;
  result: Promise<RunResult>;
  abort(reason?: string): void;
}

export class Runtime {
  private currentConfig: ReinConfig;
  private modelClient: ModelClient;
  private readonly retry: Partial<RetryPolicy> | undefined;
  readonly registry = new ToolRegistry();
  readonly guard: ToolGuard;
  private readonly runs = new Map<string, RunHandle>();
  private readonly namedModels = new Map<string, ModelClient>();
  /** Every model client made here: closed with the runtime (the embedded engine's worker ends). */
  private readonly createdModels: ModelClient[] = [];
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly systemListeners = new Set<(event: SystemEvent) => void>();
  private readonly trace: boolean;
  private readonly extensions: RuntimeExtension[];
  private readonly started = new Set<RuntimeExtension>();
  private starting: Promise<void> | undefined;
  private readonly contextNotice = contextNotices();
  /** Set by close(): runs ending from then on were interrupted by the shutdown. */
  private closing = false;
  /** Replaceable by the shell once its UI is up (e.g. the desktop window). */
  ask: Asker;
  /** Capability services the API exposes (approvals, skills, memory, mcp); absent ones answer `unavailable`. */
  readonly services: RuntimeServices = {};

  constructor(options: RuntimeOptions) {
    this.currentConfig = options.config;
    privateDir(options.config.dataDir); // 0700: memory, approvals, audit and traces are this user's only
    this.retry = options.retry;
    this.modelClient = options.model ?? this.createModel(options.config.model);
    this.guard = new ToolGuard({
      registry: this.registry,
      timeoutMs: options.config.runtime.tool_timeout_s * 1000,
      maxOutputChars: options.config.runtime.max_output_chars,
    });
    for (const tool of options.tools ?? []) this.registry.add(tool);
    this.trace = options.trace ?? true;
    this.extensions = options.extensions ?? defaultExtensions(options.config);
    this.ask = options.ask ?? (() => Promise.resolve(NO_ONE_TO_ASK));
  }

  get config(): ReinConfig {
    return this.currentConfig;
  }

  get model(): ModelClient {
    return this.modelClient;
  }

  /** Switches the model for the next runs (the desktop's model picker); running runs keep theirs. */
  useModel(model: ModelConfig): void {
    this.currentConfig = { ...this.currentConfig, model };
    this.modelClient = this.createModel(model);
    this.namedModels.clear();
  }

  /**
   * The config saved from Settings, for the next runs (running runs keep their model). Capabilities that read the
   * config as they go (policy rules, budgets, limits, the system prompt) follow at once; the rest after a restart.
   */
  reconfigure(config: ReinConfig): void {
    const modelChanged = !sameSource(config.model, this.currentConfig.model);
    this.currentConfig = config;
    if (modelChanged) this.modelClient = this.createModel(config.model);
    this.namedModels.clear();
  }

  private createModel(model: ModelConfig): ModelClient {
    const client = createModelClient(model, {
      retry: { retries: this.currentConfig.runtime.model_retries, ...this.retry },
      dataDir: this.currentConfig.dataDir,
      // No provider in rein.yaml: say which local source was found (Ollama, a local server, the embedded engine).
      onSelected: ({ label, tried }) =>
        this.notify({ type: 'system.notice', level: 'info', source: 'model', message: `no model provider configured: using ${label}${tried.length ? ` (nothing answered at ${tried.join(', ')})` : ''}` }),
    });
    this.createdModels.push(client);
    return client;
  }

  /** The client for a run that names its own model (`name`, `<provider id>:name`, `<kind>:name`), kept for later runs. */
  modelFor(ref: string | undefined): ModelClient {
    if (!ref) return this.model;
    const config = resolveModelRef(this.config, ref);
    if (sameSource(config, this.config.model)) return this.model;
    const key = JSON.stringify(config);
    let client = this.namedModels.get(key);
    if (!client) {
      client = this.createModel(config);
      this.namedModels.set(key, client);
    }
    return client;
  }

  /** Starts every extension concurrently; a failing one is reported and left out, never blocking the others. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      // The first model request needs the model's details (/api/show, cached): fetch them while the extensions start.
      this.model.info().catch(() => undefined);
      const current = { config: () => this.config, model: () => this.model, closing: () => this.closing };
      const host: ExtensionHost = {
        get closing() {
          return current.closing();
        },
        get config() {
          return current.config();
        },
        get model() {
          return current.model();
        },
        registry: this.registry,
        guard: this.guard,
        notify: (event) => this.notify(event),
        // A tool's question (an MCP form): the user's answering time is theirs, not the tool's. Approvals are asked
        // before a call runs, so they never count anyway.
        ask: (question, signal) => (question.kind === 'approval' ? this.ask(question, signal) : this.guard.whileUserAnswers(this.ask(question, signal))),
        onEvent: (listener) => this.onEvent(listener),
        onSystemEvent: (listener) => this.onSystemEvent(listener),
      };
      await Promise.all(
        this.extensions.map(async (extension) => {
          try {
            await extension.start?.(host);
            this.started.add(extension);
          } catch (error) {
            this.notify({ type: 'system.notice', level: 'error', source: extension.name, message: `failed to start: ${errorMessage(error)}` });
          }
        }),
      );
      registerServices(this.services, this.started, { config: () => this.config, isLive: (runId) => this.isLive(runId) });
    })();
    return this.starting;
  }

  /** Runtime-level events (capability status), outside any run. */
  onSystemEvent(listener: (event: SystemEvent) => void): () => void {
    this.systemListeners.add(listener);
    return () => this.systemListeners.delete(listener);
  }

  notify(input: SystemEventInput): void {
    const event = { ...input, time: new Date().toISOString() } as SystemEvent;
    for (const listener of this.systemListeners) listener(event);
  }

  /**
   * `history`/`conversationId`: a follow-up in a conversation sees its earlier exchanges. `runId`: given by the caller
   * (a worker runs a queued job under the job's id, so another worker can resume it); default a new one.
   */
  startRun(goal: string, options: { signal?: AbortSignal; history?: readonly ChatMessage[]; conversationId?: string; continues?: string; model?: string; runId?: string } = {}): RunHandle {
    const { runId = newId('run'), ...rest } = options;
    if (this.isLive(runId)) throw new ReinError(`run ${runId} is already running`);
    return this.launch(runId, goal, rest);
  }

  /** Continues an interrupted session (sessionId === its runId) from its last checkpoint, with seq numbers continuing. */
  async resumeRun(sessionId: string, options: { signal?: AbortSignal } = {}): Promise<RunHandle> {
    if (this.isLive(sessionId)) throw new ReinError(`session ${sessionId} is still running`);
    await this.start();
    const keeper = this.extensions.find((e) => this.started.has(e) && e.resumeSession);
    if (!keeper) throw new ReinError('cannot resume: no capability keeps sessions (is memory available?)');
    const point = await keeper.resumeSession!(sessionId);
    return this.launch(sessionId, point.goal, { ...options, lastSeq: point.lastSeq, resume: point.state });
  }

  private launch(
    runId: string,
    goal: string,
    options: { signal?: AbortSignal; lastSeq?: number; resume?: RunState; history?: readonly ChatMessage[]; conversationId?: string; continues?: string; model?: string },
  ): RunHandle {
    // A run with its own model (a conversation's, a schedule's) leaves the model of every other run alone.
    const model = this.modelFor(options.model);
    const redact = createRedactor(this.config.secrets);
    const events = new RunEventStream(runId, options.lastSeq, redact);
    const controller = new AbortController();
    options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
    if (this.trace) events.subscribe(writeTrace(path.join(this.config.dataDir, 'traces'), runId, redact).write);
    events.subscribe((event) => this.listeners.forEach((listener) => listener(event)));
    // The model's details first (cached; the first step needs them anyway): a model the server picks has its name
    // then, and with provider auto the local source is found first, so the run's events name what it uses.
    const ready = this.start().then(() => model.info(controller.signal).then(() => undefined, () => undefined));
    const result = ready.then(() =>
      runAgent(
        {
          model,
          registry: this.registry,
          guard: this.guard,
          limits: this.config.runtime,
          systemPrompt: this.config.runtime.system_prompt ?? DEFAULT_SYSTEM_PROMPT,
          hooks: [this.contextNotice(model), ...this.extensions.filter((e) => this.started.has(e) && e.hooks).map((e) => e.hooks!)],
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
    );
    const handle: RunHandle = {
      runId,
      goal,
      events,
      result,
      abort: (reason = 'stopped by the user') => controller.abort(new AbortedError(reason)),
    };
    this.runs.set(runId, handle);
    return handle;
  }

  /** The run is in this runtime and has not finished. */
  isLive(runId: string): boolean {
    const run = this.runs.get(runId);
    return run !== undefined && run.events.events().at(-1)?.type !== 'run.finished';
  }

  /** The started capability of this class (e.g. agents, for a run's role), if any. */
  extensionOf<T extends RuntimeExtension>(type: abstract new (...args: never[]) => T): T | undefined {
    return [...this.started].find((e): e is T => e instanceof type);
  }

  getRun(runId: string): RunHandle | undefined {
    return this.runs.get(runId);
  }

  listRuns(): RunHandle[] {
    return [...this.runs.values()];
  }

  /** Every event of every run. */
  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Aborts running runs, waits for them, then closes the extensions (MCP servers, sandboxes, database). */
  async close(): Promise<void> {
    this.closing = true;
    const pending = [...this.runs.values()];
    for (const run of pending) run.abort('runtime shutting down');
    await Promise.allSettled(pending.map((run) => run.result));
    await this.starting?.catch(() => undefined);
    for (const extension of [...this.extensions].reverse()) {
      try {
        await extension.close?.();
      } catch (error) {
        this.notify({ type: 'system.notice', level: 'error', source: extension.name, message: `failed to close: ${errorMessage(error)}` });
      }
    }
    await Promise.allSettled(this.createdModels.map((model) => model.close?.()));
  }
}

function sameSource(a: ModelConfig, b: ModelConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A server URL on another machine (a model in Rein's own process has no URL). */
function isRemoteLocation(location: string): boolean {
  try {
    return /^https?:/.test(location) && !isLoopbackHost(new URL(location).hostname);
  } catch {
    return false;
  }
}
