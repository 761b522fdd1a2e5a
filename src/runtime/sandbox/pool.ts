// A small pool of sandbox worker processes: started on demand (up to `size`), one execution per worker at a time,
// idle ones reaped, a dead one replaced by the next execution that needs it, all killed on close.
import { SandboxError } from './errors.ts';
import { SandboxWorker, type WorkerLaunch } from './worker-process.ts';

export interface PoolOptions {
  /** Worker processes at most; executions beyond wait for a free one. */
  size: number;
  /** An idle worker ends after this long. */
  idleMs: number;
  entry: string;
  execPath: string;
  onCatastrophic: (message: string) => void;
}

interface Waiter {
  memoryMb: number;
  resolve: (worker: SandboxWorker) => void;
  reject: (error: SandboxError) => void;
  cancel: () => void;
}

export class WorkerPool {
  private readonly options: PoolOptions;
  private readonly workers = new Set<SandboxWorker>();
  private readonly waiters: Waiter[] = [];
  private reaper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: PoolOptions) {
    this.options = options;
  }

  /** Live worker processes (for tests and diagnostics). */
  get pids(): number[] {
    return [...this.workers].flatMap((worker) => (worker.pid === undefined ? [] : [worker.pid]));
  }

  /** A worker reserved for one execution with this memory limit; waits up to `waitMs` for one to be free. */
  acquire(memoryMb: number, waitMs: number, signal?: AbortSignal): Promise<SandboxWorker> {
    if (this.closed) return Promise.reject(new SandboxError('crash', 'the sandbox is closed (the runtime is shutting down)'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new SandboxError('wall-timeout', `no sandbox worker became free within ${waitMs} ms: all ${this.options.size} are busy (sandbox.workers)`));
      }, waitMs);
      const onAbort = () => {
        remove();
        reject(new SandboxError('aborted', `the execution was aborted: ${String((signal?.reason as Error | undefined)?.message ?? signal?.reason)}`));
      };
      const remove = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = { memoryMb, resolve, reject, cancel: remove };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  /** Kills every worker and fails waiting executions; resolves when the processes are gone. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    for (const waiter of this.waiters.splice(0)) {
      waiter.cancel();
      waiter.reject(new SandboxError('crash', 'the sandbox is closed (the runtime is shutting down)'));
    }
    await Promise.all([...this.workers].map((worker) => worker.kill()));
  }

  /** Hands free (or new) workers to waiting executions, oldest first. */
  private dispatch(): void {
    while (this.waiters.length && !this.closed) {
      const waiter = this.waiters[0]!;
      const worker = this.freeWorker(waiter.memoryMb);
      if (!worker) return;
      this.waiters.shift();
      waiter.cancel();
      worker.busy = true;
      waiter.resolve(worker);
    }
  }

  private freeWorker(memoryMb: number): SandboxWorker | undefined {
    const idle = [...this.workers].filter((worker) => !worker.busy && worker.isAlive);
    const match = idle.find((worker) => worker.memoryMb === memoryMb);
    if (match) return match;
    if (this.workers.size >= this.options.size) {
      // Workers are started per memory limit (their WebAssembly cap is a process flag): swap an idle one.
      const other = idle[0];
      if (!other) return undefined;
      this.retire(other);
    }
    return this.spawn(memoryMb);
  }

  private spawn(memoryMb: number): SandboxWorker {
    const launch: WorkerLaunch = { entry: this.options.entry, execPath: this.options.execPath, memoryMb, onCatastrophic: this.options.onCatastrophic };
    const worker = new SandboxWorker(launch);
    worker.onIdle = () => this.dispatch();
    worker.onExit = () => {
      const replace = this.workers.delete(worker) && !this.closed && worker.hasStarted;
      // A worker that died (not one retired here) is replaced at once, so the next execution finds one ready.
      if (replace && this.workers.size < this.options.size && !this.waiters.length) this.spawn(memoryMb);
      this.dispatch();
    };
    this.workers.add(worker);
    this.startReaper();
    return worker;
  }

  private retire(worker: SandboxWorker): void {
    this.workers.delete(worker);
    void worker.kill();
  }

  private startReaper(): void {
    if (this.reaper) return;
    const every = Math.max(250, Math.min(this.options.idleMs, 10_000));
    this.reaper = setInterval(() => {
      const now = Date.now();
      for (const worker of this.workers) if (!worker.busy && now - worker.idleSince >= this.options.idleMs) this.retire(worker);
    }, every);
    this.reaper.unref();
  }
}
