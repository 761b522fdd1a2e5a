// Wires the capabilities together; behaviour lives in the capability folders.
import { NO_ONE_TO_ASK, type RunEvent, type StartProblem, type SystemEvent, type SystemEventInput } from '../common/index.ts';
import { ReinError, errorMessage, privateDir } from './base/index.ts';
import { resolveModelRef, type ModelConfig, type ReinConfig } from './config/index.ts';
import { Launcher, type RunHandle, type RunLauncher, type RunParts, type StartRunOptions } from './launcher/index.ts';
import { contextNotices } from './loop/index.ts';
import { createModelClient, type ModelClient, type RetryPolicy } from './model/index.ts';
import { ToolGuard, ToolRegistry, type Tool } from './tools/index.ts';
import { registerServices, type RuntimeServices } from './api/index.ts';
import type { Asker, ExtensionHost, ResumePoint, RuntimeExtension } from './extension.ts';
import { defaultExtensions } from './extensions.ts';
import { safeguards, startExtensions, startProblems } from './extension-start.ts';

export type { RunHandle } from './launcher/index.ts';

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

/** The capabilities (extensions), the model and the runs of one data dir. Runs are launched by its Launcher. */
export class Runtime implements RunLauncher {
  private currentConfig: ReinConfig;
  private modelClient: ModelClient;
  private readonly retry: Partial<RetryPolicy> | undefined;
  readonly registry = new ToolRegistry();
  readonly guard: ToolGuard;
  private readonly launcher: Launcher;
  private readonly namedModels = new Map<string, ModelClient>();
  /** Every model client made here: closed with the runtime (the embedded engine's worker ends). */
  private readonly createdModels: ModelClient[] = [];
  private readonly systemListeners = new Set<(event: SystemEvent) => void>();
  private readonly extensions: RuntimeExtension[];
  private readonly started = new Set<RuntimeExtension>();
  /** Capabilities that did not start, and why (an essential one refuses every run). */
  private readonly failed = new Map<RuntimeExtension, string>();
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
    this.extensions = options.extensions ?? defaultExtensions(options.config);
    this.ask = options.ask ?? (() => Promise.resolve(NO_ONE_TO_ASK));
    this.launcher = new Launcher({
      config: () => this.config,
      // A run with its own model (a conversation's, a schedule's) leaves the model of every other run alone.
      model: (ref) => this.modelFor(ref),
      prepare: () =>
        this.start().then((): RunParts => ({
          registry: this.registry,
          guard: this.guard,
          hooks: (model) => [safeguards(this.failed), this.contextNotice(model), ...this.startedExtensions().flatMap((e) => (e.hooks ? [e.hooks] : []))],
        })),
      resumePoint: (sessionId) => this.resumePoint(sessionId),
      trace: options.trace ?? true,
    });
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
        modelFor: (ref) => this.modelFor(ref),
        registry: this.registry,
        guard: this.guard,
        notify: (event) => this.notify(event),
        // A question of a run started with its own asker (a served run_agent call) goes to that asker. A tool's
        // question (an MCP form): the user's answering time is theirs, not the tool's. Approvals are asked before a
        // call runs, so they never count anyway.
        ask: (question, signal) => {
          const asker = this.launcher.askerFor(question) ?? this.ask;
          return question.kind === 'approval' ? asker(question, signal) : this.guard.whileUserAnswers(asker(question, signal));
        },
        onEvent: (listener) => this.onEvent(listener),
        onSystemEvent: (listener) => this.onSystemEvent(listener),
      };
      const { started, failed } = await startExtensions(this.extensions, host, (event) => this.notify(event));
      started.forEach((extension) => this.started.add(extension));
      failed.forEach((why, extension) => this.failed.set(extension, why));
      registerServices(this.services, this.started, { config: () => this.config, isLive: (runId) => this.isLive(runId) });
    })();
    return this.starting;
  }

  /** Capabilities that did not start, grouped by cause (shown until Rein restarts). */
  startProblems(): StartProblem[] {
    return startProblems(this.extensions, this.failed);
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

  startRun(goal: string, options: StartRunOptions = {}): RunHandle {
    return this.launcher.startRun(goal, options);
  }

  resumeRun(sessionId: string, options: Pick<StartRunOptions, 'signal' | 'ask'> = {}): Promise<RunHandle> {
    return this.launcher.resumeRun(sessionId, options);
  }

  private async resumePoint(sessionId: string): Promise<ResumePoint> {
    const keeper = this.startedExtensions().find((e) => e.resumeSession);
    if (!keeper) throw new ReinError('cannot resume: no capability keeps sessions (is memory available?)');
    return keeper.resumeSession!(sessionId);
  }

  private startedExtensions(): RuntimeExtension[] {
    return this.extensions.filter((e) => this.started.has(e));
  }

  isLive(runId: string): boolean {
    return this.launcher.isLive(runId);
  }

  /** The started capability of this class (e.g. agents, for a run's role), if any. */
  extensionOf<T extends RuntimeExtension>(type: abstract new (...args: never[]) => T): T | undefined {
    return [...this.started].find((e): e is T => e instanceof type);
  }

  getRun(runId: string): RunHandle | undefined {
    return this.launcher.getRun(runId);
  }

  listRuns(): RunHandle[] {
    return this.launcher.listRuns();
  }

  /** Every event of every run. */
  onEvent(listener: (event: RunEvent) => void): () => void {
    return this.launcher.onEvent(listener);
  }

  /** Aborts running runs, waits for them, then closes the extensions (MCP servers, sandboxes, database). */
  async close(): Promise<void> {
    this.closing = true;
    await this.launcher.abortAll('runtime shutting down');
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
