// The agent loop: plan (model turn) → act (guarded tool calls) → observe (results, loop guard) → repeat.
import type { RunEventInput, RunStatus, Usage } from '../../common/index.ts';
import { AbortedError, ReinError, TimeoutError, errorMessage } from '../base/index.ts';
import type { RuntimeLimits } from '../config/index.ts';
import type { ChatMessage, ModelClient, ModelToolCall } from '../model/index.ts';
import type { InvokeContext, InvokeResult, ToolGuard, ToolRegistry } from '../tools/index.ts';
import { LoopDetector, reflectionMessage } from './loop-detector.ts';
import { modelTurn } from './model-turn.ts';
import { PromptPrefix } from './prompt-prefix.ts';
import { goalWithContext } from './prompts.ts';
import { settleInterrupted } from './resume.ts';
import { toolBatches } from './tool-batches.ts';
import type { RunContext, RunHooks } from './hooks.ts';
import { named } from './named-hook.ts';

export interface RunDeps {
  model: ModelClient;
  registry: ToolRegistry;
  guard: ToolGuard;
  limits: RuntimeLimits;
  systemPrompt: string;
  hooks?: readonly RunHooks[];
  /** The model runs on another machine: run.started says so (a "cloud" mark). */
  cloud?: boolean;
}

export interface RunInput {
  runId: string;
  goal: string;
  signal: AbortSignal;
  emit: (event: RunEventInput) => void;
  /** Continue an interrupted run from its last checkpoint instead of starting fresh. */
  resume?: RunState;
  /** Earlier user/assistant exchanges of the conversation, placed between the system prompt and the goal. */
  history?: readonly ChatMessage[];
  /** The conversation this run continues (its first run's id) and the run it follows up on; recorded in run.started. */
  conversationId?: string;
  continues?: string;
}

/** What a checkpoint holds to continue a run. */
export interface RunState {
  messages: ChatMessage[];
  /** The last completed step. */
  step: number;
  usage: Usage;
  reflections: number;
  /** Tool calls that were in flight at the interruption (their assistant message ends `messages`). */
  interrupted?: ModelToolCall[];
}

export interface RunResult {
  status: RunStatus;
  answer?: string;
  reason?: string;
  steps: number;
  usage: Usage;
  messages: ChatMessage[];
}

export async function runAgent(deps: RunDeps, input: RunInput): Promise<RunResult> {
  const { limits } = deps;
  const hooks = deps.hooks ?? [];
  const { emit } = input;
  const stopper = new AbortController();
  const signal = AbortSignal.any([input.signal, stopper.signal]);
  const stop = (reason: string) => stopper.abort(new StopRequest(reason));
  const context: RunContext = { runId: input.runId, goal: input.goal, signal, emit, stop };
  const { resume } = input;
  const messages: ChatMessage[] = resume
    ? [...resume.messages]
    : [
        { role: 'system', content: deps.systemPrompt },
        ...(input.history ?? []),
        { role: 'user', content: input.goal },
      ];
  const usage: Usage = resume ? { ...resume.usage } : { promptTokens: 0, completionTokens: 0 };
  const detector = new LoopDetector(limits.loop_window);
  let reflections = resume?.reflections ?? 0;
  let step = resume?.step ?? 0;
  const identity = { goal: input.goal, model: deps.model.model, provider: deps.model.provider, host: deps.model.location, ...(deps.cloud ? { cloud: true } : {}), tools: deps.registry.names() };
  const conversation = input.conversationId ? { conversationId: input.conversationId, ...(input.continues ? { continues: input.continues } : {}) } : {};
  emit(resume ? { type: 'run.resumed', fromStep: step, ...identity } : { type: 'run.started', ...identity, ...conversation });
  const prefix = new PromptPrefix(deps.registry, hooks);
  const finish = async (status: RunStatus, detail: { answer?: string; reason?: string }): Promise<RunResult> => {
    const result: RunResult = { status, ...detail, steps: step, usage, messages };
    for (const hook of hooks) {
      try {
        await hook.onRunFinish?.(result, context);
      } catch (error) {
        emit({ type: 'run.notice', level: 'error', source: hook.name, message: `after the run: ${errorMessage(error)}` });
      }
    }
    emit({ type: 'run.finished', status, ...detail, steps: step, usage });
    for (const hook of hooks) {
      try {
        hook.afterRunFinished?.(result, context);
      } catch {
        // background work reports its own failures; the run is over
      }
    }
    return result;
  };

  try {
    const pinned = await collectPinned(hooks, context);
    // Into the system prompt and the goal message as first sent (a resumed run's checkpoint has them already).
    if (pinned.system.length && messages[0]?.role === 'system' && messages[0].content === deps.systemPrompt) {
      messages[0] = { role: 'system', content: [deps.systemPrompt, ...pinned.system].join('\n\n') };
    }
    const goalAt = messages.findLastIndex((m) => m.role === 'user' && m.content === input.goal);
    if (pinned.context.length && goalAt > 0) messages[goalAt] = { role: 'user', content: goalWithContext(pinned.context, input.goal) };
    if (resume?.interrupted?.length) {
      step++;
      messages.push(...(await settleInterrupted(deps, resume.interrupted, { runId: input.runId, step, signal, emit })));
      for (const hook of hooks) await named(hook, () => hook.afterStep?.(messages, { ...context, step, usage: { ...usage } }));
    }
    while (step < limits.max_steps) {
      if (signal.aborted) throw signal.reason;
      const stepContext = { ...context, step: step + 1, usage: { ...usage } };
      for (const hook of hooks) {
        const stop = await named(hook, () => hook.beforeStep?.(stepContext));
        if (stop) return finish('stopped', { reason: stop });
      }
      step++;
      const turn = await prefix.turn(messages, stepContext, (prepared, tools) =>
        modelTurn({ model: deps.model, messages: prepared, tools, step, timeoutMs: limits.step_timeout_s * 1000, signal, emit }),
      );
      usage.promptTokens += turn.usage.promptTokens;
      usage.completionTokens += turn.usage.completionTokens;
      if (turn.toolCalls.length === 0) return finish('completed', { answer: turn.text.trim() });

      // A turn may ask for more calls than are run (runtime.max_tool_calls_per_turn): the rest are dropped.
      const dropped = turn.toolCalls.splice(limits.max_tool_calls_per_turn);
      messages.push({ role: 'assistant', content: turn.text, toolCalls: turn.toolCalls, ...(turn.replay ? { replay: turn.replay } : {}) });
      const results = await runToolCalls(deps.guard, turn.toolCalls, { runId: input.runId, step, signal, emit });
      for (const r of results) {
        messages.push({ role: 'tool', callId: r.callId, toolName: r.name, content: r.ok ? (r.output ?? '') : `Error: ${r.error}` });
      }
      if (dropped.length) {
        const note = `${dropped.length} more tool call${dropped.length === 1 ? ' was' : 's were'} not run: at most ${limits.max_tool_calls_per_turn} per turn (runtime.max_tool_calls_per_turn)`;
        emit({ type: 'run.notice', level: 'warn', source: 'loop', message: note });
        messages.push({ role: 'user', content: `${note}. Ask for fewer calls at a time.` });
      }
      if (signal.aborted) throw signal.reason;

      const verdict = detector.observeTurn(
        turn.toolCalls.map((c, i) => ({ name: results[i]!.name, args: c.arguments })),
        results.map((r) => ({ name: r.name, ok: r.ok, text: r.ok ? (r.output ?? '') : (r.error ?? '') })),
      );
      if (verdict) {
        const count = reflections + 1;
        emit({ type: 'loop.detected', step, pattern: verdict.pattern, detail: verdict.detail, reflections: Math.min(count, limits.max_reflections) });
        if (reflections >= limits.max_reflections) {
          return finish('stopped', { reason: `loop breaker: ${verdict.detail} (after ${reflections} reflection${reflections === 1 ? '' : 's'})` });
        }
        reflections = count;
        detector.reset();
        messages.push({ role: 'user', content: reflectionMessage(verdict, limits.max_reflections - reflections) });
      }
      // After the reflection is in, so a checkpoint holds the whole step.
      for (const hook of hooks) await named(hook, () => hook.afterStep?.(messages, { ...stepContext, usage: { ...usage } }));
    }
    return finish('stopped', { reason: `step budget exhausted: ${limits.max_steps} steps (runtime.max_steps)` });
  } catch (error) {
    if (signal.reason instanceof StopRequest) return finish('stopped', { reason: signal.reason.message });
    if (signal.aborted) return finish('stopped', { reason: `aborted: ${errorMessage(signal.reason ?? new AbortedError())}` });
    if (error instanceof TimeoutError) return finish('stopped', { reason: `${error.message} (runtime.step_timeout_s)` });
    return finish('failed', { reason: errorMessage(error) });
  }
}

/** A hook stopped the run (budget); not an error of the run. */
class StopRequest extends ReinError {}

async function collectPinned(hooks: readonly RunHooks[], context: RunContext): Promise<{ system: string[]; context: string[] }> {
  const pinned = { system: [] as string[], context: [] as string[] };
  for (const hook of hooks) {
    const text = await named(hook, () => hook.onRunStart?.(context));
    if (!text) continue;
    const { system = [], context: given = [] } = Array.isArray(text) ? { context: text } : text;
    pinned.system.push(...system.filter((t) => t.trim()));
    pinned.context.push(...given.filter((t) => t.trim()));
  }
  return pinned;
}

async function runToolCalls(
  guard: ToolGuard,
  calls: ModelToolCall[],
  context: InvokeContext,
): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  for (const batch of toolBatches(calls, (name) => guard.isParallelSafe(name))) {
    results.push(...(await Promise.all(batch.map((call) => guard.invoke(call, context)))));
  }
  return results;
}
