// The sandbox's pool of worker processes (the shared ProcessPool): workers are keyed by memory limit, since their
// WebAssembly cap is a process flag.
import { ProcessPool } from '../workers/index.ts';
import { SandboxError } from './errors.ts';
import { SandboxWorker } from './worker-process.ts';

export interface PoolOptions {
  /** Worker processes at most; executions beyond wait for a free one. */
  size: number;
  /** An idle worker ends after this long. */
  idleMs: number;
  entry: string;
  execPath: string;
  onCatastrophic: (message: string) => void;
}

export function sandboxPool(options: PoolOptions): ProcessPool<SandboxWorker, number> {
  return new ProcessPool<SandboxWorker, number>({
    size: options.size,
    idleMs: options.idleMs,
    spawn: (memoryMb) => new SandboxWorker({ entry: options.entry, execPath: options.execPath, memoryMb, onCatastrophic: options.onCatastrophic }),
    keyOf: (worker) => worker.memoryMb,
    errors: {
      closed: () => new SandboxError('crash', 'the sandbox is closed (the runtime is shutting down)'),
      busy: (waitMs, size) => new SandboxError('wall-timeout', `no sandbox worker became free within ${waitMs} ms: all ${size} are busy (sandbox.workers)`),
      aborted: (reason) => new SandboxError('aborted', `the execution was aborted: ${String((reason as Error | undefined)?.message ?? reason)}`),
    },
  });
}
