// The one path every tool call takes: resolve/repair, middleware (policy, audit later), timeout,
// output cap, error capture, timing and events. No tool bypasses it.
import type { RunEventInput } from '../../common/index.ts';
import { errorMessage, newId, raceAbort, withTimeout } from '../base/index.ts';
import type { ModelToolCall } from '../model/index.ts';
import { capOutput, renderOutput } from './output.ts';
import type { ToolRegistry } from './registry.ts';
import { resolveCall } from './repair.ts';
import type { Tool, ToolOutcome, ToolProgress } from './types.ts';

export interface GuardedCall {
  runId: string;
  step: number;
  callId: string;
  tool: Tool;
  args: Record<string, unknown>;
  signal: AbortSignal;
  emit: (event: RunEventInput) => void;
}

/** Wraps execution; call `next()` to proceed or return an outcome to short-circuit (e.g. a denial). */
export type ToolMiddleware = (call: GuardedCall, next: () => Promise<ToolOutcome>) => Promise<ToolOutcome>;

export interface ToolGuardOptions {
  registry: ToolRegistry;
  timeoutMs: number;
  maxOutputChars: number;
}

export interface InvokeContext {
  runId: string;
  step: number;
  signal: AbortSignal;
  emit: (event: RunEventInput) => void;
}

export interface InvokeResult extends ToolOutcome {
  callId: string;
  name: string;
}

/** At most this many answered questions are remembered for subtracting their time from tool durations. */
const KEPT_WAITS = 200;

export class ToolGuard {
  private readonly middleware: ToolMiddleware[] = [];
  private readonly options: ToolGuardOptions;
  private readonly waits: { start: number; end?: number }[] = [];

  constructor(options: ToolGuardOptions) {
    this.options = options;
  }

  use(middleware: ToolMiddleware): void {
    this.middleware.push(middleware);
  }

  /**
   * Time the user spends answering a question asked during a call (an MCP server's form) is not the tool's: the
   * call's durationMs leaves it out and its `userMs` says how long the user took.
   */
  async whileUserAnswers<T>(answer: Promise<T>): Promise<T> {
    const wait: { start: number; end?: number } = { start: performance.now() };
    this.waits.push(wait);
    if (this.waits.length > KEPT_WAITS) this.waits.splice(0, this.waits.length - KEPT_WAITS);
    try {
      return await answer;
    } finally {
      wait.end = performance.now();
    }
  }

  /** How much of [from, to] someone spent answering questions (overlapping questions counted once). */
  private userTime(from: number, to: number): number {
    const spans = this.waits
      .map((w) => [Math.max(from, w.start), Math.min(to, w.end ?? to)] as const)
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    let total = 0;
    let reached = from;
    for (const [a, b] of spans) {
      if (b <= reached) continue;
      total += b - Math.max(a, reached);
      reached = b;
    }
    return total;
  }

  /** Whether calls to this tool may overlap with others of the same turn. */
  isParallelSafe(name: string): boolean {
    const tool = this.options.registry.get(name);
    return tool ? (tool.parallelSafe ?? tool.capability === 'read') : true;
  }

  async invoke(call: ModelToolCall, context: InvokeContext): Promise<InvokeResult> {
    const resolved = resolveCall(call, this.options.registry);
    const name = resolved.ok ? resolved.tool.name : call.name;
    context.emit({
      type: 'tool.called',
      step: context.step,
      callId: call.id,
      name,
      args: resolved.args,
      ...(resolved.ok && resolved.repairs.length ? { repaired: resolved.repairs.join('; ') } : {}),
    });
    const outcome = resolved.ok
      ? await this.execute({ ...context, callId: call.id, tool: resolved.tool, args: resolved.args })
      : { ok: false, error: resolved.error, durationMs: 0 };
    // The tool's own execution time: waiting for an approval (policy middleware) is not part of it.
    const result: InvokeResult = { ...outcome, durationMs: outcome.durationMs, callId: call.id, name };
    context.emit({ type: 'tool.result', step: context.step, ...result });
    return result;
  }

  private execute(call: GuardedCall): Promise<ToolOutcome> {
    const chain = this.middleware.reduceRight<() => Promise<ToolOutcome>>(
      (next, middleware) => () => middleware(call, next),
      () => this.runTool(call),
    );
    return chain().catch((error: unknown) => ({ ok: false, error: errorMessage(error), durationMs: 0 }));
  }

  private async runTool(call: GuardedCall): Promise<ToolOutcome> {
    const timeoutMs = call.tool.timeoutMs ?? this.options.timeoutMs;
    const { signal, dispose } = withTimeout(call.signal, timeoutMs, `tool ${call.tool.name}`);
    const started = performance.now();
    try {
      const progress = (update: ToolProgress) =>
        call.emit({ type: 'tool.progress', step: call.step, callId: call.callId, name: call.tool.name, ...update });
      const invoke = (name: string, args: Record<string, unknown>, nested?: AbortSignal) =>
        this.invoke(
          { id: newId('call'), name, arguments: args },
          { runId: call.runId, step: call.step, signal: nested ? AbortSignal.any([signal, nested]) : signal, emit: call.emit },
        );
      const context = { runId: call.runId, callId: call.callId, signal, progress, invoke };
      const value = await raceAbort(call.tool.run(call.args, context), signal);
      const { text, truncated } = capOutput(renderOutput(value), this.options.maxOutputChars);
      return { ok: true, output: text, ...this.timing(started), ...(truncated ? { truncated } : {}) };
    } catch (error) {
      const { text, truncated } = capOutput(describeFailure(error), this.options.maxOutputChars);
      return { ok: false, error: text, ...this.timing(started), ...(truncated ? { truncated } : {}) };
    } finally {
      dispose();
    }
  }

  /** The tool's own time, and the user's (answering its questions) apart. */
  private timing(started: number): { durationMs: number; userMs?: number } {
    const now = performance.now();
    const user = Math.round(this.userTime(started, now));
    return { durationMs: Math.max(0, Math.round(now - started) - user), ...(user > 0 ? { userMs: user } : {}) };
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && error.name !== 'Error' && !error.message.includes(error.name)) {
    return `${error.name}: ${error.message}`;
  }
  return errorMessage(error);
}

