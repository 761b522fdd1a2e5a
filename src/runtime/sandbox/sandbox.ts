// Runs untrusted JavaScript in a fresh isolated-vm isolate per execution: memory limit, CPU and wall-clock
// limits, captured console, values crossing only as JSON strings, and capabilities (host functions) that
// are the only way out.
import type ivm from 'isolated-vm';
import { errorMessage } from '../base/index.ts';
import { SandboxError, type SandboxFailure } from './errors.ts';
import { GUEST_PRELUDE, guestRunner } from './guest-prelude.ts';
import { ConsoleCapture } from './output.ts';

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

const CPU_POLL_MS = 10;

type IsolatedVm = typeof ivm;
let loading: Promise<IsolatedVm> | undefined;

/** Loaded on first use, so a host where the native module cannot load (e.g. another ABI) fails per execution only. */
function loadIsolatedVm(): Promise<IsolatedVm> {
  loading ??= import('isolated-vm').then((module) => module.default);
  return loading;
}

export class Sandbox {
  private readonly limits: SandboxLimits;
  private readonly onCatastrophic: (message: string) => void;

  constructor(limits: SandboxLimits, options: { onCatastrophic?: (message: string) => void } = {}) {
    this.limits = limits;
    this.onCatastrophic = options.onCatastrophic ?? (() => undefined);
  }

  /** Runs `code` as the body of an async function `(input, tools, console)`; resolves with its JSON result. */
  async run(request: SandboxRequest): Promise<SandboxResult> {
    const limits = { ...this.limits, ...request.limits };
    const started = performance.now();
    const ivm = await loadIsolatedVm().catch((error: unknown) => {
      throw new SandboxError('crash', `the sandbox is unavailable: isolated-vm could not be loaded (${errorMessage(error)})`);
    });
    const output = new ConsoleCapture(limits.maxOutputChars);
    const inputJson = JSON.stringify(request.input ?? null);
    if (inputJson === undefined) throw new SandboxError('invalid-result', 'input is not JSON data');
    let stopped: { kind: SandboxFailure; message: string } | undefined;
    let stop: (kind: SandboxFailure, message: string) => void = () => undefined;
    const isolate = new ivm.Isolate({
      memoryLimit: limits.memoryMb,
      onCatastrophicError: (message) => {
        stop('crash', `the sandbox crashed: ${message}`);
        this.onCatastrophic(message);
      },
    });
    const controller = new AbortController();
    const stopPromise = new Promise<never>((_resolve, reject) => {
      stop = (kind, message) => {
        if (stopped) return;
        stopped = { kind, message };
        controller.abort(new SandboxError(kind, message));
        if (!isolate.isDisposed) isolate.dispose();
        reject(new SandboxError(kind, message));
      };
    });
    stopPromise.catch(() => undefined);
    const onAbort = () => stop('aborted', `the execution was aborted: ${errorMessage(request.signal?.reason)}`);
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const cpuLimitNs = BigInt(limits.cpuTimeoutMs) * 1_000_000n;
    const cpuTimer = setInterval(() => {
      if (!isolate.isDisposed && isolate.cpuTime > cpuLimitNs) stop('cpu-timeout', `the code used more than ${limits.cpuTimeoutMs} ms of CPU time (sandbox.cpu_timeout_ms)`);
    }, CPU_POLL_MS);
    const wallTimer = setTimeout(() => stop('wall-timeout', `the code did not finish within ${limits.wallTimeoutMs} ms (sandbox.wall_timeout_ms)`), limits.wallTimeoutMs);
    let cpuMs = 0;
    try {
      const execution = this.execute(ivm, isolate, request, inputJson, output, limits, controller.signal);
      execution.catch(() => undefined);
      const raw = await Promise.race([execution, stopPromise]);
      cpuMs = Number(isolate.cpuTime / 1_000_000n);
      return { value: decodeResult(raw, output), console: output.toString(), consoleTruncated: output.truncated, durationMs: Math.round(performance.now() - started), cpuMs };
    } catch (error) {
      throw asSandboxError(error, stopped, output);
    } finally {
      clearInterval(cpuTimer);
      clearTimeout(wallTimer);
      request.signal?.removeEventListener('abort', onAbort);
      controller.abort();
      if (!isolate.isDisposed) isolate.dispose();
    }
  }

  private async execute(
    ivm: IsolatedVm,
    isolate: ivm.Isolate,
    request: SandboxRequest,
    inputJson: string,
    output: ConsoleCapture,
    limits: SandboxLimits,
    signal: AbortSignal,
  ): Promise<unknown> {
    const capabilities = request.capabilities ?? {};
    let calls = 0;
    const call = async (name: unknown, argsJson: unknown): Promise<string> => {
      const capability = typeof name === 'string' && Object.hasOwn(capabilities, name) ? capabilities[name] : undefined;
      if (!capability) return JSON.stringify({ ok: false, error: `tool "${String(name)}" is not available here` });
      if (++calls > limits.maxToolCalls) return JSON.stringify({ ok: false, error: `too many tool calls (sandbox.max_tool_calls = ${limits.maxToolCalls})` });
      try {
        const value = await capability(JSON.parse(String(argsJson)), signal);
        return JSON.stringify({ ok: true, value: value ?? null });
      } catch (error) {
        return JSON.stringify({ ok: false, error: errorMessage(error) });
      }
    };
    const context = await isolate.createContext();
    await context.evalClosure(
      GUEST_PRELUDE,
      [
        new ivm.Callback((level: unknown, line: unknown) => output.write(level, line)),
        new ivm.Reference(call),
        inputJson,
        JSON.stringify(Object.keys(capabilities)),
      ],
      { timeout: limits.cpuTimeoutMs },
    );
    return context.evalClosure(guestRunner(request.code), [], { timeout: limits.cpuTimeoutMs, result: { promise: true } });
  }
}

function decodeResult(raw: unknown, output: ConsoleCapture): unknown {
  let reply: { ok?: unknown; value?: unknown; error?: unknown };
  try {
    reply = typeof raw === 'string' ? (JSON.parse(raw) as typeof reply) : {};
  } catch {
    reply = {};
  }
  if (reply.ok === true) return reply.value;
  if (reply.ok === false) throw new SandboxError('thrown', `the code threw ${String(reply.error)}`, output.toString());
  throw new SandboxError('invalid-result', 'the code did not return a JSON value through the sandbox runner', output.toString());
}

function asSandboxError(error: unknown, stopped: { kind: SandboxFailure; message: string } | undefined, output: ConsoleCapture): SandboxError {
  if (stopped) return new SandboxError(stopped.kind, stopped.message, output.toString());
  if (error instanceof SandboxError) return error;
  const message = errorMessage(error);
  if (/memory limit/i.test(message)) return new SandboxError('memory', `the code ran out of memory (sandbox.memory_mb)`, output.toString());
  if (/timed out/i.test(message)) return new SandboxError('cpu-timeout', `the code ran too long without pausing (sandbox.cpu_timeout_ms)`, output.toString());
  return new SandboxError('thrown', `the code failed: ${message}`, output.toString());
}
