// Run events → spans, after the GenAI conventions: `invoke_agent` per run, `chat {model}` per model call,
// `execute_tool {tool}` per tool call, `retrieval {source}` for memory and knowledge lookups, `rein.compaction` when
// the working context was summarised; policy, schedule and loop facts as `rein.*` attributes and span events.
// Only names, ids, counts and durations leave unless content capture is on (ContentGate).
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { RunEvent, ScheduleRunEvent } from '../../common/index.ts';
import type { ChatMessage, ToolSpec } from '../model/index.ts';
import type { ContentGate } from './content.ts';
import { ERROR_TYPE, GEN_AI, OPERATION, REIN, SPAN_EVENT } from './conventions.ts';
import type { RunMetrics } from './metrics.ts';

/** Tools whose calls are lookups: their span gets a `retrieval` child (memory's own lookups report memory.recalled). */
const RETRIEVAL_TOOLS: Record<string, string> = { search_knowledge: 'knowledge' };
const RECALL_TOOL = 'recall';
const MAX_PENDING_SCHEDULES = 100;

export interface RunSpansOptions {
  tracer: Tracer | undefined;
  metrics: RunMetrics | undefined;
  content: ContentGate;
  /** Context the runs' root spans continue (a subagent's parent call), else a new trace per run. */
  parent: Context;
  /** `gen_ai.agent.name`: the subagent's role, else `rein`. */
  agentName: string;
  depth: number;
  /** Where a tool comes from (builtin, mcp, skill, …), for gen_ai.tool.type. */
  toolSource(name: string): string | undefined;
}

interface ToolState {
  span: Span;
  name: string;
  /** The policy's decision (deny, ask) when a rule matched. */
  decision?: string;
  /** For `ask`: what the approver decided. */
  approval?: string;
  retrieval?: Span;
}

interface RunState {
  span: Span;
  context: Context;
  provider: string;
  model: string;
  conversationId: string;
  chat?: { span: Span; text: string; started: number };
  tools: Map<string, ToolState>;
  approvals: Map<string, { callId: string; at: number }>;
  compactions: number;
  /** What a harness stop was about, when an event said so before run.finished. */
  stopHint?: 'budget' | 'loop';
}

const now = () => performance.timeOrigin + performance.now();

export class RunSpans {
  private readonly options: RunSpansOptions;
  private readonly runs = new Map<string, RunState>();
  private readonly schedules = new Map<string, Attributes>();

  constructor(options: RunSpansOptions) {
    this.options = options;
  }

  /** The W3C context of a call's span (or its run's), for a subagent started by that call. */
  spanFor(runId: string, callId: string): Span | undefined {
    const run = this.runs.get(runId);
    return run?.tools.get(callId)?.span ?? run?.span;
  }

  /** Right before each model call (the selectTools hook): the `chat` span starts here, with what is sent. */
  chatStarting(runId: string, step: number, messages: readonly ChatMessage[], tools: readonly ToolSpec[]): void {
    const run = this.runs.get(runId);
    if (!run) return;
    // A second start for the same turn: the server refused the first prompt (context overflow) and it is retried.
    if (run.chat) this.endChat(run, { errorType: 'context_overflow' });
    const { system, input } = this.options.content.messages(messages);
    const attributes: Attributes = {
      ...this.modelAttributes(run, OPERATION.chat),
      [REIN.step]: step,
      ...(system ? { [GEN_AI.systemInstructions]: system } : {}),
      ...(input ? { [GEN_AI.inputMessages]: input } : {}),
      'rein.tools.offered': tools.length,
    };
    const started = now();
    run.chat = { span: this.start(`${OPERATION.chat} ${run.model}`, run.context, attributes, started, SpanKind.CLIENT), text: '', started };
  }

  onSystemEvent(event: ScheduleRunEvent): void {
    this.options.metrics?.scheduleSlot(event.schedule, event.status);
    if (event.status !== 'started' || !event.runId) return;
    const attributes = { [REIN.scheduleName]: event.schedule, [REIN.scheduleSlot]: event.slotId };
    const run = this.runs.get(event.runId);
    if (run) run.span.setAttributes(attributes);
    else {
      // The schedule may report its run before the run's first event: applied when the run starts.
      if (this.schedules.size >= MAX_PENDING_SCHEDULES) this.schedules.delete(this.schedules.keys().next().value!);
      this.schedules.set(event.runId, attributes);
    }
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run.started' || event.type === 'run.resumed') return this.runStarted(event);
    const run = this.runs.get(event.runId);
    if (!run) return;
    const { content } = this.options;
    switch (event.type) {
      case 'model.delta':
        if (content.capture && run.chat) run.chat.text += event.text;
        return;
      case 'model.retry':
        run.chat?.span.addEvent(SPAN_EVENT.modelRetry, { [REIN.retryAttempt]: event.attempt, [REIN.retryDelay]: event.delayMs, ...textAttr(REIN.statusMessage, content.text(event.error)) });
        return;
      case 'model.completed':
        return this.modelCompleted(run, event);
      case 'tool.called':
        return this.toolCalled(run, event);
      case 'tool.result':
        return this.toolResult(run, event);
      case 'policy.denied':
        run.tools.get(event.callId)?.span.setAttributes({ [REIN.policyDecision]: 'deny', [REIN.policyRule]: event.rule });
        this.setDecision(run, event.callId, 'deny');
        return;
      case 'approval.requested': {
        const tool = run.tools.get(event.callId);
        tool?.span.setAttributes({ [REIN.policyDecision]: 'ask', [REIN.policyRule]: event.rule });
        tool?.span.addEvent(SPAN_EVENT.approvalRequested, { [REIN.policyRule]: event.rule, 'rein.policy.risk': event.risk });
        this.setDecision(run, event.callId, 'ask');
        run.approvals.set(event.id, { callId: event.callId, at: now() });
        return;
      }
      case 'approval.resolved': {
        const asked = run.approvals.get(event.id);
        if (!asked) return;
        run.approvals.delete(event.id);
        const seconds = (now() - asked.at) / 1000;
        const tool = run.tools.get(asked.callId);
        if (tool) tool.approval = event.decision;
        tool?.span.setAttributes({ [REIN.policyApproval]: event.decision, [REIN.policyApprover]: event.by, [REIN.policyWait]: seconds });
        this.options.metrics?.approvalWaited(seconds, event.decision, event.by);
        return;
      }
      case 'memory.recalled':
        return this.retrieved(run, event);
      case 'memory.compacted': {
        run.compactions++;
        const end = now();
        const span = this.start('rein.compaction', run.context, {
          [REIN.step]: event.step,
          [REIN.compactionMethod]: event.method,
          [REIN.compactionTurnsRemoved]: event.turnsRemoved,
          [REIN.compactionTokensBefore]: event.tokensBefore,
          [REIN.compactionTokensAfter]: event.tokensAfter,
        }, end - (event.durationMs ?? 0));
        span.end(end);
        return;
      }
      case 'budget.exceeded':
        run.stopHint = 'budget';
        run.span.addEvent(SPAN_EVENT.budgetExceeded, { [REIN.budget]: event.budget, [REIN.budgetLimit]: event.limit, [REIN.budgetUsed]: event.used });
        return;
      case 'loop.detected':
        run.stopHint = 'loop';
        run.span.addEvent(SPAN_EVENT.loopDetected, { [REIN.loopPattern]: event.pattern, [REIN.loopReflections]: event.reflections });
        return;
      case 'run.notice':
        run.span.addEvent(SPAN_EVENT.notice, { [REIN.noticeLevel]: event.level, [REIN.noticeSource]: event.source, ...textAttr(REIN.noticeMessage, content.text(event.message)) });
        return;
      case 'skill.used':
        run.span.addEvent(SPAN_EVENT.skillUsed, { [REIN.skillName]: event.name, [REIN.skillHow]: event.how });
        return;
      case 'agent.spawned':
        if (event.callId) run.tools.get(event.callId)?.span.setAttributes({ [GEN_AI.agentId]: event.agentId, [REIN.agentRole]: event.role, [REIN.agentBackend]: event.backend, ...(event.pid ? { [REIN.agentPid]: event.pid } : {}) });
        return;
      case 'run.finished':
        return this.runFinished(run, event);
      default:
        // agent.event: a subagent exports its own spans, in this trace (its TRACEPARENT); the rest is shown in the UI only.
        return;
    }
  }

  /** Ends every open span (the runtime closes while runs are still going). */
  closeAll(): void {
    for (const [runId, run] of this.runs) {
      if (run.chat) this.endChat(run, { errorType: 'interrupted' });
      for (const tool of run.tools.values()) endWithError(tool.span, 'interrupted');
      endWithError(run.span, 'interrupted');
      this.runs.delete(runId);
    }
  }

  private runStarted(event: Extract<RunEvent, { type: 'run.started' | 'run.resumed' }>): void {
    const { options } = this;
    const conversationId = (event.type === 'run.started' && event.conversationId) || event.runId;
    const attributes: Attributes = {
      [GEN_AI.operationName]: OPERATION.invokeAgent,
      [GEN_AI.providerName]: event.provider,
      [GEN_AI.requestModel]: event.model,
      [GEN_AI.agentName]: options.agentName,
      [GEN_AI.conversationId]: conversationId,
      [REIN.runId]: event.runId,
      [REIN.agentDepth]: options.depth,
      ...(event.type === 'run.resumed' ? { [REIN.resumedFromStep]: event.fromStep } : {}),
      ...(event.type === 'run.started' && event.continues ? { [REIN.continues]: event.continues } : {}),
      ...textAttr(GEN_AI.inputMessages, options.content.json([{ role: 'user', parts: [{ type: 'text', content: event.goal }] }])),
      ...this.schedules.get(event.runId),
    };
    this.schedules.delete(event.runId);
    const span = this.start(`${OPERATION.invokeAgent} ${options.agentName}`, options.parent, attributes, now());
    this.runs.set(event.runId, {
      span,
      context: trace.setSpan(ROOT_CONTEXT, span),
      provider: event.provider,
      model: event.model,
      conversationId,
      tools: new Map(),
      approvals: new Map(),
      compactions: 0,
    });
  }

  private modelCompleted(run: RunState, event: Extract<RunEvent, { type: 'model.completed' }>): void {
    const end = now();
    // Normally opened by chatStarting; a run resumed mid-turn (or hooks not wired) opens it here, from its duration.
    const started = end - event.durationMs;
    run.chat ??= { span: this.start(`${OPERATION.chat} ${run.model}`, run.context, { ...this.modelAttributes(run, OPERATION.chat), [REIN.step]: event.step }, started, SpanKind.CLIENT), text: '', started };
    const { span, text } = run.chat;
    run.chat = undefined;
    const finish = event.toolCalls > 0 ? 'tool_calls' : 'stop';
    span.setAttributes({
      [GEN_AI.inputTokens]: event.usage.promptTokens,
      [GEN_AI.outputTokens]: event.usage.completionTokens,
      ...(event.usage.cachedPromptTokens !== undefined ? { [GEN_AI.cacheReadInputTokens]: event.usage.cachedPromptTokens } : {}),
      [GEN_AI.finishReasons]: [finish],
      'rein.tool_calls': event.toolCalls,
      ...textAttr(GEN_AI.outputMessages, this.options.content.output(text, finish)),
    });
    span.end(end);
    this.options.metrics?.modelCall({
      operation: OPERATION.chat,
      provider: run.provider,
      model: run.model,
      inputTokens: event.usage.promptTokens,
      outputTokens: event.usage.completionTokens,
      durationMs: event.durationMs,
    });
  }

  private toolCalled(run: RunState, event: Extract<RunEvent, { type: 'tool.called' }>): void {
    const source = this.options.toolSource(event.name);
    const dataSource = RETRIEVAL_TOOLS[event.name];
    const started = now();
    const span = this.start(`${OPERATION.executeTool} ${event.name}`, run.context, {
      [GEN_AI.operationName]: OPERATION.executeTool,
      [GEN_AI.toolName]: event.name,
      [GEN_AI.toolCallId]: event.callId,
      [GEN_AI.toolType]: dataSource || event.name === RECALL_TOOL ? 'datastore' : source === 'mcp' ? 'extension' : 'function',
      [GEN_AI.conversationId]: run.conversationId,
      [REIN.step]: event.step,
      ...(source ? { [REIN.toolSource]: source } : {}),
      ...(event.repaired ? { [REIN.toolRepaired]: true } : {}),
      ...textAttr(GEN_AI.toolCallArguments, this.options.content.json(event.args)),
    }, started);
    const tool: ToolState = { span, name: event.name };
    if (dataSource) {
      const query = (event.args as { query?: unknown } | undefined)?.query;
      tool.retrieval = this.start(`${OPERATION.retrieval} ${dataSource}`, trace.setSpan(ROOT_CONTEXT, span), {
        [GEN_AI.operationName]: OPERATION.retrieval,
        [GEN_AI.dataSourceId]: dataSource,
        ...textAttr(GEN_AI.retrievalQuery, typeof query === 'string' ? this.options.content.text(query) : undefined),
      }, started);
    }
    run.tools.set(event.callId, tool);
  }

  private toolResult(run: RunState, event: Extract<RunEvent, { type: 'tool.result' }>): void {
    const tool = run.tools.get(event.callId);
    if (!tool) return;
    run.tools.delete(event.callId);
    const end = now();
    const { content } = this.options;
    const errorType = event.ok ? undefined : tool.decision === 'deny' ? 'policy_denied' : tool.approval === 'deny' ? 'not_approved' : event.unknownOutcome ? 'unknown_outcome' : 'tool_error';
    if (tool.retrieval) finish(tool.retrieval, end, errorType, content.text(event.error));
    tool.span.setAttributes({
      [REIN.policyDecision]: tool.decision ?? 'allow',
      ...(event.truncated ? { [REIN.toolTruncated]: true } : {}),
      ...textAttr(GEN_AI.toolCallResult, content.text(event.ok ? event.output : event.error)),
      'rein.tool.duration_ms': event.durationMs,
    });
    finish(tool.span, end, errorType, content.text(event.error));
    if (errorType) this.options.metrics?.toolFailed(tool.name, errorType);
  }

  private retrieved(run: RunState, event: Extract<RunEvent, { type: 'memory.recalled' }>): void {
    const end = now();
    // Inside the `recall` tool's span when that tool asked; else the run's own recall at its start.
    const recall = [...run.tools.values()].find((t) => t.name === RECALL_TOOL);
    const span = this.start(`${OPERATION.retrieval} memory`, recall ? trace.setSpan(ROOT_CONTEXT, recall.span) : run.context, {
      [GEN_AI.operationName]: OPERATION.retrieval,
      [GEN_AI.dataSourceId]: 'memory',
      [REIN.retrievalMode]: event.mode,
      [REIN.retrievalResults]: event.noteIds.length,
      ...textAttr(GEN_AI.retrievalQuery, this.options.content.text(event.query)),
    }, end - (event.durationMs ?? 0));
    span.end(end);
  }

  private runFinished(run: RunState, event: Extract<RunEvent, { type: 'run.finished' }>): void {
    const end = now();
    const { content } = this.options;
    const cut = event.status === 'completed' ? undefined : event.status === 'failed' ? 'error' : 'interrupted';
    if (run.chat) this.endChat(run, { errorType: cut ?? 'interrupted', end });
    for (const tool of run.tools.values()) finish(tool.span, end, 'interrupted');
    const reason = stopReason(event.status, event.reason ?? '', run.stopHint);
    run.span.setAttributes({
      [REIN.runStatus]: event.status,
      [REIN.runSteps]: event.steps,
      [GEN_AI.inputTokens]: event.usage.promptTokens,
      [GEN_AI.outputTokens]: event.usage.completionTokens,
      ...(run.compactions ? { [REIN.compactionCount]: run.compactions } : {}),
      ...(reason ? { [REIN.stopReason]: reason } : {}),
      ...textAttr(GEN_AI.outputMessages, event.answer !== undefined ? content.output(event.answer, 'stop') : undefined),
    });
    finish(run.span, end, event.status === 'failed' ? 'run_failed' : undefined, content.text(event.reason));
    this.runs.delete(event.runId);
    this.options.metrics?.runFinished(event.status, this.options.agentName);
  }

  private endChat(run: RunState, { errorType, end = now() }: { errorType: string; end?: number }): void {
    const chat = run.chat!;
    run.chat = undefined;
    finish(chat.span, end, errorType);
    this.options.metrics?.modelCall({ operation: OPERATION.chat, provider: run.provider, model: run.model, durationMs: end - chat.started, errorType });
  }

  private modelAttributes(run: RunState, operation: string): Attributes {
    return { [GEN_AI.operationName]: operation, [GEN_AI.providerName]: run.provider, [GEN_AI.requestModel]: run.model, [GEN_AI.conversationId]: run.conversationId };
  }

  /** A span, or a non-recording one when traces are off (metrics only): callers need no checks. */
  private start(name: string, parent: Context, attributes: Attributes, startTime: number, kind: SpanKind = SpanKind.INTERNAL): Span {
    const { tracer } = this.options;
    if (!tracer) return trace.wrapSpanContext(trace.getSpanContext(parent) ?? INVALID);
    return tracer.startSpan(name, { kind, attributes, startTime }, parent);
  }

  private setDecision(run: RunState, callId: string, decision: string): void {
    const tool = run.tools.get(callId);
    if (tool) tool.decision = decision;
  }
}

const INVALID = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 };

function finish(span: Span, end: number, errorType?: string, message?: string): void {
  if (errorType) {
    span.setAttribute(ERROR_TYPE, errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
  }
  span.end(end);
}

function endWithError(span: Span, errorType: string): void {
  finish(span, now(), errorType);
}

function textAttr(key: string, value: string | undefined): Attributes {
  return value === undefined ? {} : { [key]: value };
}

/** Why a run did not complete, as a short code (the reason's text may quote content, so it is not exported). */
function stopReason(status: string, reason: string, hint: 'budget' | 'loop' | undefined): string | undefined {
  if (status === 'completed') return undefined;
  if (status === 'failed') return 'error';
  if (/runtime\.max_steps/.test(reason)) return 'max_steps';
  if (/^loop breaker/.test(reason)) return 'loop';
  if (hint === 'budget' || /policy\.budgets|budget/.test(reason)) return 'budget';
  if (/step_timeout_s/.test(reason)) return 'timeout';
  if (/^aborted/.test(reason)) return 'aborted';
  return hint ?? 'stopped';
}
