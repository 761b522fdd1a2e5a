// Inside a sandbox worker process: one execution in a fresh isolated-vm isolate with memory, CPU and wall-clock
// limits. Values cross only as JSON strings; tool calls and console lines go out through the given callbacks.
import type ivm from 'isolated-vm';
import type { SandboxFailure } from './errors.ts';
import { GUEST_PRELUDE, guestRunner } from './guest-prelude.ts';
import type { ExecutionLimits } from './protocol.ts';

/** Why an execution ended without a value (turned into a SandboxError by the host). */
export class ExecutionFailure extends Error {
  readonly kind: SandboxFailure;
  constructor(kind: SandboxFailure, message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface IsolateExecution {
  code: string;
  inputJson: string;
  toolNames: string[];
  limits: ExecutionLimits;
  /** A guest tool call: resolves with the reply JSON (`{ok, value}` or `{ok: false, error}`). */
  callTool: (name: string, argsJson: string) => Promise<string>;
  /** A console line; returns true once the output cap is reached (the guest then stops sending). */
  log: (level: string, line: string) => boolean;
  signal: AbortSignal;
  onCatastrophic: (message: string) => void;
}

const CPU_POLL_MS = 10;

/** Runs the guest code; resolves with the runner's raw JSON reply and the CPU time used. */
export async function runInIsolate(ivmModule: typeof ivm, execution: IsolateExecution): Promise<{ raw: string; cpuMs: number }> {
  const { limits } = execution;
  let stopped: ExecutionFailure | undefined;
  let stop: (kind: SandboxFailure, message: string) => void = () => undefined;
  const isolate = new ivmModule.Isolate({
    memoryLimit: limits.memoryMb,
    onCatastrophicError: (message) => {
      stop('crash', `the sandbox crashed: ${message}`);
      execution.onCatastrophic(message);
    },
  });
  const stopPromise = new Promise<never>((_resolve, reject) => {
    stop = (kind, message) => {
      if (stopped) return;
      stopped = new ExecutionFailure(kind, message);
      if (!isolate.isDisposed) isolate.dispose();
      reject(stopped);
    };
  });
  stopPromise.catch(() => undefined);
  const onAbort = () => stop('aborted', `the execution was aborted: ${messageOf(execution.signal.reason)}`);
  if (execution.signal.aborted) onAbort();
  execution.signal.addEventListener('abort', onAbort, { once: true });
  const cpuLimitNs = BigInt(limits.cpuTimeoutMs) * 1_000_000n;
  const cpuTimer = setInterval(() => {
    if (!isolate.isDisposed && isolate.cpuTime > cpuLimitNs) stop('cpu-timeout', `the code used more than ${limits.cpuTimeoutMs} ms of CPU time (sandbox.cpu_timeout_ms)`);
  }, CPU_POLL_MS);
  const wallTimer = setTimeout(() => stop('wall-timeout', `the code did not finish within ${limits.wallTimeoutMs} ms (sandbox.wall_timeout_ms)`), limits.wallTimeoutMs);
  try {
    const run = evaluate(ivmModule, isolate, execution);
    run.catch(() => undefined);
    const raw = await Promise.race([run, stopPromise]);
    return { raw: typeof raw === 'string' ? raw : '', cpuMs: Number(isolate.cpuTime / 1_000_000n) };
  } catch (error) {
    throw stopped ?? asFailure(error);
  } finally {
    clearInterval(cpuTimer);
    clearTimeout(wallTimer);
    execution.signal.removeEventListener('abort', onAbort);
    if (!isolate.isDisposed) isolate.dispose();
  }
}

async function evaluate(ivmModule: typeof ivm, isolate: ivm.Isolate, execution: IsolateExecution): Promise<unknown> {
  const context = await isolate.createContext();
  await context.evalClosure(
    GUEST_PRELUDE,
    [
      new ivmModule.Callback((level: unknown, line: unknown) => execution.log(String(level), String(line))),
      new ivmModule.Reference((name: unknown, argsJson: unknown) => execution.callTool(String(name), String(argsJson))),
      execution.inputJson,
      JSON.stringify(execution.toolNames),
    ],
    { timeout: execution.limits.cpuTimeoutMs },
  );
  return context.evalClosure(guestRunner(execution.code), [], { timeout: execution.limits.cpuTimeoutMs, result: { promise: true } });
}

function asFailure(error: unknown): ExecutionFailure {
  if (error instanceof ExecutionFailure) return error;
  const message = messageOf(error);
  if (/memory limit/i.test(message)) return new ExecutionFailure('memory', 'the code ran out of memory (sandbox.memory_mb)');
  if (/timed out/i.test(message)) return new ExecutionFailure('cpu-timeout', 'the code ran too long without pausing (sandbox.cpu_timeout_ms)');
  return new ExecutionFailure('thrown', `the code failed: ${message}`);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
