// The host's handle on one sandbox worker process: sends it one execution at a time, answers its tool calls with
// the capabilities (abortable), and turns the worker's death into a clear error for that execution.
import { errorMessage } from '../base/index.ts';
import { ChildWorker, type ChildDeath } from '../workers/index.ts';
import { SandboxError, type SandboxFailure } from './errors.ts';
import type { ConsoleCapture } from './output.ts';
import type { ToParent, ToWorker } from './protocol.ts';
import type { Capability, SandboxLimits } from './sandbox.ts';

export interface WorkerLaunch {
  entry: string;
  execPath: string;
  memoryMb: number;
  onCatastrophic: (message: string) => void;
}

export interface WorkerExecution {
  code: string;
  inputJson: string;
  capabilities: Record<string, Capability>;
  limits: SandboxLimits;
  output: ConsoleCapture;
  signal?: AbortSignal;
}

/** Time a worker gets to confirm an abort, and beyond its wall clock, before it is killed. */
const GRACE_MS = 2_000;

export class SandboxWorker extends ChildWorker<ToWorker, ToParent> {
  readonly memoryMb: number;
  private readonly launch: WorkerLaunch;
  private fatal: { kind: SandboxFailure; message: string } | undefined;
  private nextId = 0;

  constructor(launch: WorkerLaunch) {
    // isolated-vm needs Node without its startup snapshot; a WebAssembly memory may not outgrow memory_mb.
    super({ entry: launch.entry, execPath: launch.execPath, execArgv: ['--no-node-snapshot', `--wasm-max-mem-pages=${Math.max(1, launch.memoryMb * 16)}`] });
    this.launch = launch;
    this.memoryMb = launch.memoryMb;
  }

  /** Runs one execution; resolves with the runner's raw reply. The worker is busy until it reports the end. */
  async execute(execution: WorkerExecution): Promise<{ raw: string; cpuMs: number }> {
    if (this.death) throw this.death;
    this.busy = true;
    this.keepAlive(true);
    const controller = new AbortController();
    let settle: { resolve: (value: { raw: string; cpuMs: number }) => void; reject: (error: SandboxError) => void } | undefined;
    const result = new Promise<{ raw: string; cpuMs: number }>((resolve, reject) => (settle = { resolve, reject }));
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: { raw: string; cpuMs: number } | SandboxError) => {
      if (!settle) return;
      const { resolve, reject } = settle;
      settle = undefined;
      execution.signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof SandboxError) {
        controller.abort(outcome);
        reject(outcome);
      } else {
        controller.abort();
        resolve(outcome);
      }
    };
    const fail = (kind: SandboxFailure, message: string) => finish(new SandboxError(kind, message));
    const id = ++this.nextId;
    const onAbort = () => {
      const message = `the execution was aborted: ${errorMessage(execution.signal?.reason)}`;
      this.send({ type: 'abort', id, message });
      timers.push(setTimeout(() => this.kill(), GRACE_MS));
      fail('aborted', message);
    };
    this.onGone = (error) => {
      timers.forEach(clearTimeout);
      finish(this.fatal ? new SandboxError(this.fatal.kind, this.fatal.message) : (error as SandboxError));
    };
    if (execution.signal?.aborted) return this.endEarly(execution.signal);
    execution.signal?.addEventListener('abort', onAbort, { once: true });
    const readyMb = (await this.ready.catch(() => undefined))?.rssMb;
    if (readyMb === undefined) {
      finish((this.death as SandboxError | undefined) ?? new SandboxError('crash', 'the sandbox worker process ended before it was ready'));
      return result;
    }
    if (!settle) {
      // Aborted while the worker was starting: nothing was sent, the worker stays usable.
      timers.forEach(clearTimeout);
      this.release(false);
      return result;
    }
    let calls = 0;
    this.handler = (message) => {
      if (message.type === 'log' && message.id === id) execution.output.write(message.level, message.line);
      else if (message.type === 'tool' && message.id === id) {
        void this.callTool(execution, message.name, message.argsJson, ++calls, controller.signal).then((json) =>
          this.send({ type: 'tool-result', id, callId: message.callId, json }),
        );
      } else if (message.type === 'done' && message.id === id) {
        timers.forEach(clearTimeout);
        finish(message.ok ? { raw: message.raw, cpuMs: message.cpuMs } : new SandboxError(message.kind, message.message));
        this.release(message.rssMb > readyMb + this.memoryMb);
      }
    };
    const { limits } = execution;
    timers.push(setTimeout(() => {
      fail('wall-timeout', `the code did not finish within ${limits.wallTimeoutMs} ms (sandbox.wall_timeout_ms)`);
      this.kill();
    }, limits.wallTimeoutMs + GRACE_MS));
    const toolNames = Object.keys(execution.capabilities);
    const { memoryMb, cpuTimeoutMs, wallTimeoutMs, maxOutputChars } = limits;
    this.send({ type: 'run', id, code: execution.code, inputJson: execution.inputJson, toolNames, limits: { memoryMb, cpuTimeoutMs, wallTimeoutMs, maxOutputChars } });
    return result;
  }

  private endEarly(signal: AbortSignal): never {
    this.release(false);
    throw new SandboxError('aborted', `the execution was aborted: ${errorMessage(signal.reason)}`);
  }

  private async callTool(execution: WorkerExecution, name: string, argsJson: string, count: number, signal: AbortSignal): Promise<string> {
    const { capabilities, limits } = execution;
    const capability = Object.hasOwn(capabilities, name) ? capabilities[name] : undefined;
    if (!capability) return JSON.stringify({ ok: false, error: `tool "${name}" is not available here` });
    if (count > limits.maxToolCalls) return JSON.stringify({ ok: false, error: `too many tool calls (sandbox.max_tool_calls = ${limits.maxToolCalls})` });
    try {
      const value = await capability(JSON.parse(argsJson), signal);
      return JSON.stringify({ ok: true, value: value ?? null });
    } catch (error) {
      return JSON.stringify({ ok: false, error: errorMessage(error) });
    }
  }

  protected override receive(message: ToParent): void {
    if (message.type === 'fatal') {
      this.fatal = { kind: message.kind, message: message.message };
      if (message.catastrophic !== undefined) this.launch.onCatastrophic(message.catastrophic);
      return;
    }
    super.receive(message);
  }

  protected deathError(death: ChildDeath): SandboxError {
    if (!death.started) {
      return new SandboxError('crash', `the sandbox worker process (${this.launch.entry}) could not start: it ${death.how}${death.startError ? ` (${death.startError})` : ''}`);
    }
    return new SandboxError('crash', `the sandbox worker process ${death.how} during the execution; the execution is lost and a new worker serves the next one${death.detail ? ` (${death.detail})` : ''}`);
  }
}
