// The host's handle on the embedded engine's worker process: started on first use, shared by every embedded model
// client of this process (one worker holds the loaded models), ended when idle and on close. A worker that dies fails
// the calls it was serving with a clear error; the next call starts a new one.
import { AbortedError } from '../../base/index.ts';
import { ChildWorker, workerEntry, type ChildDeath } from '../../workers/index.ts';
import { ContextOverflowError, ModelNotFoundError, ModelResponseError } from '../errors.ts';
import type { ChatRequestMessage, EngineModelInfo, FromEngine, LoadSpec, ToEngine } from './protocol.ts';

export type EngineGpu = false | 'auto' | 'cuda' | 'vulkan' | 'metal';

export interface EngineLaunch {
  gpu: EngineGpu;
  /** The worker script (default: the bundled engine-worker.js, else worker.ts) and the Node that runs it. */
  entry?: string;
  execPath?: string;
}

/** An idle worker (no call for this long) ends, giving its memory back; the next call loads the model again. */
export const ENGINE_IDLE_MS = 5 * 60_000;

type Listener = (message: FromEngine) => void;

interface Pending {
  listener: Listener;
  fail: (error: Error) => void;
}

export class EngineProcess {
  private readonly launch: Required<Omit<EngineLaunch, 'gpu'>> & { gpu: EngineGpu };
  private worker: EngineWorker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  idleMs = ENGINE_IDLE_MS;
  private closed = false;
  /** Model files the current worker holds in memory (none after it ended or died). */
  private readonly loaded = new Set<string>();

  constructor(launch: EngineLaunch) {
    this.launch = {
      gpu: launch.gpu,
      entry: launch.entry ?? workerEntry({ envVar: 'REIN_ENGINE_WORKER', bundled: 'engine-worker.js', source: './worker.ts', from: import.meta.url }),
      execPath: launch.execPath ?? (process.env.REIN_SANDBOX_NODE || process.execPath),
    };
  }

  /** The worker's process id while one runs (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.worker?.isAlive ? this.worker.pid : undefined;
  }

  load(model: LoadSpec, signal?: AbortSignal): Promise<EngineModelInfo> {
    return this.single({ type: 'load', id: 0, model }, signal, (message) => (message.type === 'loaded' ? message.info : undefined)).then((info) => {
      if (this.worker?.isAlive) this.loaded.add(model.path);
      return info;
    });
  }

  /** Whether the worker has this model file in memory now (a call on it starts without loading). */
  holds(path: string): boolean {
    return this.loaded.has(path);
  }

  embed(model: LoadSpec, texts: string[], signal?: AbortSignal): Promise<number[][]> {
    return this.single({ type: 'embed', id: 0, model, texts }, signal, (message) => (message.type === 'vectors' ? message.vectors : undefined));
  }

  /** Streams a chat's messages (text, call, done); ends after `done`, throws the engine's error. */
  async *chat(request: Omit<ChatRequestMessage, 'type' | 'id'>, signal?: AbortSignal): AsyncIterable<FromEngine> {
    const queue: FromEngine[] = [];
    let failure: Error | undefined;
    let finished = false;
    let wake: (() => void) | undefined;
    const id = await this.start({ type: 'chat', id: 0, ...request }, signal, {
      listener: (message) => {
        queue.push(message);
        if (message.type === 'done') {
          finished = true;
          if (this.worker?.isAlive) this.loaded.add(request.model.path); // a chat loads its model first
        }
        wake?.();
      },
      fail: (error) => {
        failure = error;
        wake?.();
      },
    });
    try {
      for (;;) {
        const message = queue.shift();
        if (message) {
          yield message;
          if (message.type === 'done') return;
          continue;
        }
        if (failure) throw failure;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.finish(id, !finished && !failure);
    }
  }

  /** Forgets a model (e.g. its file was removed). */
  unload(path: string): void {
    this.loaded.delete(path);
    if (this.worker?.isAlive) this.worker.post({ type: 'unload', path });
  }

  /** Ends the worker; calls in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.worker?.kill();
  }

  private async single<T>(message: ToEngine & { id: number }, signal: AbortSignal | undefined, pick: (message: FromEngine) => T | undefined): Promise<T> {
    let settle: { resolve: (value: T) => void; reject: (error: Error) => void } | undefined;
    const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    result.catch(() => undefined); // a worker that dies while starting fails it before anyone awaits it
    const id = await this.start(message, signal, {
      listener: (reply) => {
        const value = pick(reply);
        if (value !== undefined) settle?.resolve(value);
      },
      fail: (error) => settle?.reject(error),
    });
    try {
      return await result;
    } finally {
      this.finish(id, false);
    }
  }

  /** Sends a request once the worker is ready; its replies go to `pending` until finish(). */
  private async start(message: ToEngine & { id: number }, signal: AbortSignal | undefined, pending: Pending): Promise<number> {
    if (this.closed) throw new ModelResponseError('the embedded engine is closed (the runtime is shutting down)', { transient: false });
    signal?.throwIfAborted();
    const id = ++this.nextId;
    const onAbort = () => {
      this.worker?.post({ type: 'abort', id });
      const reason: unknown = signal?.reason;
      pending.fail(reason instanceof Error ? reason : new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    this.pending.set(id, {
      listener: (reply) => (reply.type === 'error' ? pending.fail(engineError(reply.kind, reply.message)) : pending.listener(reply)),
      fail: (error) => {
        done();
        pending.fail(error);
      },
    });
    clearTimeout(this.idleTimer);
    try {
      const ready = this.ensureWorker();
      this.worker!.hold(true); // a call in flight (also while the worker starts) keeps the host running
      await ready;
      this.worker!.post({ ...message, id } as ToEngine);
    } catch (error) {
      this.pending.delete(id);
      done();
      throw error;
    }
    return id;
  }

  private finish(id: number, abort: boolean): void {
    if (!this.pending.delete(id)) return;
    if (abort) this.worker?.post({ type: 'abort', id });
    if (this.pending.size === 0 && this.worker?.isAlive) {
      this.worker.hold(false);
      this.idleTimer = setTimeout(() => void this.worker?.kill(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private ensureWorker(): Promise<void> {
    if (this.worker?.isAlive && this.ready) return this.ready;
    const env: Record<string, string> = { REIN_ENGINE_GPU: String(this.launch.gpu) };
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && (['HOME', 'TMPDIR', 'CUDA_VISIBLE_DEVICES'].includes(key) || /^(NODE_LLAMA_CPP_|GGML_)/.test(key))) env[key] = value;
    }
    const worker = new EngineWorker({ entry: this.launch.entry, execPath: this.launch.execPath, execArgv: [], env }, (message) => this.pending.get(message.id)?.listener(message));
    worker.gone = (error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.ready = undefined;
      this.loaded.clear();
      for (const pending of [...this.pending.values()]) pending.fail(error);
    };
    this.worker = worker;
    this.ready = worker.serving;
    return this.ready;
  }
}

/** The worker process: every message after `ready` carries the id of the call it answers. */
class EngineWorker extends ChildWorker<ToEngine, FromEngine> {
  gone: (error: Error) => void = () => undefined;
  readonly serving: Promise<void>;
  private readonly entry: string;
  private readonly dispatch: (message: Exclude<FromEngine, { type: 'ready' }>) => void;

  constructor(launch: { entry: string; execPath: string; execArgv: string[]; env: Record<string, string> }, dispatch: (message: Exclude<FromEngine, { type: 'ready' }>) => void) {
    super(launch);
    this.entry = launch.entry;
    this.dispatch = dispatch;
    this.serving = this.ready.then(() => undefined);
    this.serving.catch(() => undefined);
    this.onGone = (error) => this.gone(error);
  }

  post(message: ToEngine): void {
    this.send(message);
  }

  hold(on: boolean): void {
    this.keepAlive(on);
  }

  protected override receive(message: FromEngine): void {
    if (message.type === 'ready') super.receive(message);
    else this.dispatch(message);
  }

  protected deathError(death: ChildDeath): Error {
    if (!death.started) {
      return new ModelResponseError(`the embedded engine's worker process (${this.entry}) could not start: it ${death.how}${death.startError ? ` (${death.startError})` : ''}`, { transient: false });
    }
    const oom = death.how.includes('SIGKILL') ? ' (out of memory, or ended from outside)' : '';
    return new ModelResponseError(
      `the embedded engine's worker process ${death.how}${oom} during the call; the call is lost and a new worker serves the next one${death.detail ? ` (${death.detail})` : ''}`,
      { transient: false },
    );
  }
}

function engineError(kind: string, message: string): Error {
  if (kind === 'not-found') return new ModelNotFoundError(message);
  if (kind === 'overflow') return new ContextOverflowError(message);
  if (kind === 'aborted') return new AbortedError();
  return new ModelResponseError(`the embedded engine failed: ${message}`, { transient: false });
}

const engines = new Map<string, { engine: EngineProcess; users: number }>();

/** The engine of this process for a GPU setting; release() it when done (the last release ends the worker). */
export function acquireEngine(launch: EngineLaunch): { engine: EngineProcess; release: () => Promise<void> } {
  const key = JSON.stringify(launch);
  let entry = engines.get(key);
  if (!entry) engines.set(key, (entry = { engine: new EngineProcess(launch), users: 0 }));
  entry.users++;
  let released = false;
  const held = entry;
  return {
    engine: held.engine,
    release: async () => {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      engines.delete(key);
      await held.engine.close();
    },
  };
}
