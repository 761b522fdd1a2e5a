// Runs untrusted JavaScript in a fresh isolated-vm isolate per execution, inside a pool of worker processes
// (never in this process): memory limit, CPU and wall-clock limits, captured console, values crossing only as
// JSON strings, and capabilities (host functions, called over IPC) that are the only way out.
import { SandboxError } from './errors.ts';
import { ConsoleCapture } from './output.ts';
import type { ProcessPool } from '../workers/index.ts';
import { sandboxPool } from './pool.ts';
import type { SandboxWorker } from './worker-process.ts';
import { sandboxWorkerEntry } from './worker-entry.ts';

export interface SandboxLimits {
  memoryMb: number;
  cpuTimeoutMs: number;
  wallTimeoutMs: number;
  maxOutputChars: number;
  maxToolCalls: number;
}

/** A host function the guest may call as `tools.<name>(args)`; receives a JSON copy, returns JSON-able data. */
export type Capability = (args: unknown, signal: AbortSignal) => Promise<unknown>;

export interface SandboxRequest {
  code: string;
  input?: unknown;
  capabilities?: Record<string, Capability>;
  signal?: AbortSignal;
  /** Overrides of the sandbox's default limits for this execution. */
  limits?: Partial<SandboxLimits>;
}

export interface SandboxResult {
  value: unknown;
  console: string;
  consoleTruncated: boolean;
  durationMs: number;
  cpuMs: number;
}

export interface SandboxOptions {
  /** Called when isolated-vm reports a catastrophic error (the worker that had it is replaced). */
  onCatastrophic?: (message: string) => void;
  /** Worker processes at most (default 2); executions beyond wait for a free one. */
  workers?: number;
  /** An idle worker ends after this many ms (default 30 s). */
  workerIdleMs?: number;
  /** The worker script (default: sandboxWorkerEntry()) and the Node that runs it (default: REIN_SANDBOX_NODE or this one). */
  workerEntry?: string;
  execPath?: string;
}

export class Sandbox {
  private readonly limits: SandboxLimits;
  private readonly pool: ProcessPool<SandboxWorker, number>;

  constructor(limits: SandboxLimits, options: SandboxOptions = {}) {
    this.limits = limits;
    this.pool = sandboxPool({
      size: options.workers ?? 2,
      idleMs: options.workerIdleMs ?? 30_000,
      entry: options.workerEntry ?? sandboxWorkerEntry(),
      execPath: options.execPath ?? (process.env.REIN_SANDBOX_NODE || process.execPath),
      onCatastrophic: options.onCatastrophic ?? (() => undefined),
    });
  }

  /** Live worker process ids (for tests and diagnostics). */
  get workerPids(): number[] {
    return this.pool.pids;
  }

  /** Runs `code` as the body of an async function `(input, tools, console)`; resolves with its JSON result. */
  async run(request: SandboxRequest): Promise<SandboxResult> {
    const limits = { ...this.limits, ...request.limits };
    const started = performance.now();
    const inputJson = JSON.stringify(request.input ?? null);
    if (inputJson === undefined) throw new SandboxError('invalid-result', 'input is not JSON data');
    const output = new ConsoleCapture(limits.maxOutputChars);
    const worker = await this.pool.acquire(limits.memoryMb, limits.wallTimeoutMs, request.signal);
    try {
      const { raw, cpuMs } = await worker.execute({
        code: request.code,
        inputJson,
        capabilities: request.capabilities ?? {},
        limits,
        output,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return { value: decodeResult(raw, output), console: output.toString(), consoleTruncated: output.truncated, durationMs: Math.round(performance.now() - started), cpuMs };
    } catch (error) {
      if (error instanceof SandboxError && !error.console && output.toString()) throw new SandboxError(error.kind, error.message, output.toString());
      throw error;
    }
  }

  /** Ends every worker process; executions still running fail. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

function decodeResult(raw: string, output: ConsoleCapture): unknown {
  let reply: { ok?: unknown; value?: unknown; error?: unknown };
  try {
    reply = JSON.parse(raw) as typeof reply;
  } catch {
    reply = {};
  }
  if (reply.ok === true) return reply.value;
  if (reply.ok === false) throw new SandboxError('thrown', `the code threw ${String(reply.error)}`, output.toString());
  throw new SandboxError('invalid-result', 'the code did not return a JSON value through the sandbox runner', output.toString());
}
