// A small pool of worker processes: started on demand (up to `size`), one job per worker at a time, idle ones
// reaped, a dead one replaced by the next job that needs it, all killed on close. Workers carry a key (e.g. the
// sandbox's memory limit, a process flag): a job gets a worker of its key, or an idle one of another key is swapped.

/** What the pool needs of a worker (ChildWorker has it). */
export interface PooledWorker {
  busy: boolean;
  idleSince: number;
  readonly pid: number | undefined;
  readonly isAlive: boolean;
  readonly hasStarted: boolean;
  onIdle: (worker: never) => void;
  onExit: (worker: never) => void;
  kill(): Promise<void>;
}

export interface PoolOptions<W, K> {
  /** Worker processes at most; jobs beyond wait for a free one. */
  size: number;
  /** An idle worker ends after this long. */
  idleMs: number;
  spawn(key: K): W;
  keyOf(worker: W): K;
  /** The errors a waiting job gets (each owner has its own error type and wording). */
  errors: { closed(): Error; busy(waitMs: number, size: number): Error; aborted(reason: unknown): Error };
}

interface Waiter<W, K> {
  key: K;
  resolve: (worker: W) => void;
  reject: (error: Error) => void;
  cancel: () => void;
}

export class ProcessPool<W extends PooledWorker, K> {
  private readonly options: PoolOptions<W, K>;
  private readonly workers = new Set<W>();
  private readonly waiters: Waiter<W, K>[] = [];
  private reaper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: PoolOptions<W, K>) {
    this.options = options;
  }

  /** Live worker processes (for tests and diagnostics). */
  get pids(): number[] {
    return [...this.workers].flatMap((worker) => (worker.pid === undefined ? [] : [worker.pid]));
  }

  /** A worker of this key reserved for one job; waits up to `waitMs` for one to be free. */
  acquire(key: K, waitMs: number, signal?: AbortSignal): Promise<W> {
    if (this.closed) return Promise.reject(this.options.errors.closed());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(this.options.errors.busy(waitMs, this.options.size));
      }, waitMs);
      const onAbort = () => {
        remove();
        reject(this.options.errors.aborted(signal?.reason));
      };
      const remove = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter<W, K> = { key, resolve, reject, cancel: remove };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  /** Kills every worker and fails waiting jobs; resolves when the processes are gone. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    for (const waiter of this.waiters.splice(0)) {
      waiter.cancel();
      waiter.reject(this.options.errors.closed());
    }
    await Promise.all([...this.workers].map((worker) => worker.kill()));
  }

  /** Hands free (or new) workers to waiting jobs, oldest first. */
  private dispatch(): void {
    while (this.waiters.length && !this.closed) {
      const waiter = this.waiters[0]!;
      const worker = this.freeWorker(waiter.key);
      if (!worker) return;
      this.waiters.shift();
      waiter.cancel();
      worker.busy = true;
      waiter.resolve(worker);
    }
  }

  private freeWorker(key: K): W | undefined {
    const idle = [...this.workers].filter((worker) => !worker.busy && worker.isAlive);
    const match = idle.find((worker) => this.options.keyOf(worker) === key);
    if (match) return match;
    if (this.workers.size >= this.options.size) {
      const other = idle[0];
      if (!other) return undefined;
      this.retire(other);
    }
    return this.spawn(key);
  }

  private spawn(key: K): W {
    const worker = this.options.spawn(key);
    worker.onIdle = () => this.dispatch();
    worker.onExit = () => {
      const replace = this.workers.delete(worker) && !this.closed && worker.hasStarted;
      // A worker that died (not one retired here) is replaced at once, so the next job finds one ready.
      if (replace && this.workers.size < this.options.size && !this.waiters.length) this.spawn(key);
      this.dispatch();
    };
    this.workers.add(worker);
    this.startReaper();
    return worker;
  }

  private retire(worker: W): void {
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
