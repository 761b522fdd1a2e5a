// The host's handle on the embedded engine's worker process: started on first use, shared by every embedded model
// client of this process (one worker holds the loaded models), ended when idle and on close. A worker that dies fails
// the calls it was serving with a clear error; the next call starts a new one.
import { AbortedError, ChildWorker, describeExit, workerScript, type ChildExit } from '../../base/index.ts';
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
  private worker: ChildWorker<ToEngine, FromEngine> | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  idleMs = ENGINE_IDLE_MS;
  private closed = false;

  constructor(launch: EngineLaunch) {
    this.launch = {
      gpu: launch.gpu,
      entry: launch.entry ?? workerScript({ envVar: 'REIN_ENGINE_WORKER', bundled: 'engine-worker.js', source: new URL('./worker.ts', import.meta.url), from: import.meta.url }),
      execPath: launch.execPath ?? (process.env.REIN_SANDBOX_NODE || process.execPath),
    };
  }

  /** The worker's process id while one runs (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.worker?.isAlive ? this.worker.pid : undefined;
  }

  load(model: LoadSpec, signal?: AbortSignal): Promise<EngineModelInfo> {
    return this.single({ type: 'load', id: 0, model }, signal, (message) => (message.type === 'loaded' ? message.info : undefined));
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
        if (message.type === 'done') finished = true;
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
    if (this.worker?.isAlive) this.worker.send({ type: 'unload', path });
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
      this.worker?.send({ type: 'abort', id });
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
      this.worker!.keepAlive(true); // a call in flight (also while the worker starts) keeps the host running
      await ready;
      this.worker!.send({ ...message, id } as ToEngine);
    } catch (error) {
      this.pending.delete(id);
      done();
      throw error;
    }
    return id;
  }

  private finish(id: number, abort: boolean): void {
    if (!this.pending.delete(id)) return;
    if (abort) this.worker?.send({ type: 'abort', id });
    if (this.pending.size === 0 && this.worker?.isAlive) {
      this.worker.keepAlive(false);
      this.idleTimer = setTimeout(() => void this.worker?.kill(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private ensureWorker(): Promise<void> {
    if (this.worker?.isAlive && this.ready) return this.ready;
    let started = false;
    let readyResolve: () => void = () => undefined;
    let readyReject: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => ((readyResolve = resolve), (readyReject = reject)));
    const worker = new ChildWorker<ToEngine, FromEngine>(
      {
        entry: this.launch.entry,
        execPath: this.launch.execPath,
        envKeys: ['HOME', 'TMPDIR', 'CUDA_VISIBLE_DEVICES'],
        envPrefixes: ['NODE_LLAMA_CPP_', 'GGML_'],
        env: { REIN_ENGINE_GPU: String(this.launch.gpu) },
      },
      (message) => {
        if (message.type === 'ready') {
          started = true;
          readyResolve();
        } else if ('id' in message) this.pending.get(message.id)?.listener(message);
      },
    );
    void worker.exited.then((exit) => {
      const error = deathError(exit, started, this.launch.entry);
      readyReject(error);
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.ready = undefined;
      for (const pending of [...this.pending.values()]) pending.fail(error);
    });
    this.worker = worker;
    this.ready = ready;
    ready.catch(() => undefined);
    return ready;
  }
}

function engineError(kind: string, message: string): Error {
  if (kind === 'not-found') return new ModelNotFoundError(message);
  if (kind === 'overflow') return new ContextOverflowError(message);
  if (kind === 'aborted') return new AbortedError();
  return new ModelResponseError(`the embedded engine failed: ${message}`, { transient: false });
}

function deathError(exit: ChildExit, started: boolean, entry: string): Error {
  const how = describeExit(exit);
  if (!started) {
    const reason = exit.firstError ?? exit.detail;
    return new ModelResponseError(`the embedded engine's worker process (${entry}) could not start: it ${how}${reason ? ` (${reason.slice(0, 500)})` : ''}`, { transient: false });
  }
  const oom = exit.signal === 'SIGKILL' ? ' (out of memory, or ended from outside)' : '';
  return new ModelResponseError(
    `the embedded engine's worker process ${how}${oom} during the call; the call is lost and a new worker serves the next one${exit.detail ? ` (${exit.detail})` : ''}`,
    { transient: false },
  );
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
