// Folds the run event stream into what the UI shows. Pure; one RunView per run id.
import { describeCompaction, type LoopPattern, type NoticeLevel, type RunEvent, type RunFinishedEvent, type Usage } from '../../common/index.ts';

export interface ToolCallItem {
  kind: 'tool';
  step: number;
  callId: string;
  name: string;
  args: unknown;
  repaired?: string;
  /** `denied`: refused by a rule or by the user — not a failure of the tool. */
  status: 'running' | 'ok' | 'error' | 'denied';
  output?: string;
  error?: string;
  durationMs?: number;
  /** Time the user took answering the tool's question (an MCP form), apart from its own time. */
  userMs?: number;
  truncated?: boolean;
}

/** What the run is doing right now: waiting for or streaming the model, or running tools (times in ms). */
export type RunPhase =
  | { kind: 'model'; since: number; chars: number; firstAt?: number }
  | { kind: 'tool'; since: number; name: string };

export type TimelineItem =
  | { kind: 'text'; step: number; text: string }
  | ToolCallItem
  | { kind: 'loop'; step: number; pattern: LoopPattern; detail: string; reflections: number }
  | { kind: 'retry'; step: number; attempt: number; delayMs: number; error: string }
  | { kind: 'notice'; level: NoticeLevel; source: string; message: string }
  | ({ kind: 'turn' } & TurnUsage)
  /** Context compaction (memory): shown as a marker between turns. */
  | { kind: 'compaction'; message: string };

/** One model call: what it cost and how long it took. */
export interface TurnUsage {
  step: number;
  usage: Usage;
  durationMs: number;
  toolCalls: number;
}

export interface RunView {
  runId: string;
  goal?: string;
  /** From run.started: whether it was seen, and the run this one follows up on (its parent in the conversation). */
  started?: boolean;
  continues?: string;
  model?: string;
  items: TimelineItem[];
  turns: TurnUsage[];
  finished?: RunFinishedEvent;
  /** Event times (ms): the start, the first token of the answer. */
  startedAt?: number;
  firstTokenAt?: number;
  phase?: RunPhase;
  /** Time the model spent generating (after each step's first token), for tokens per second. */
  generationMs: number;
  /** Approval id → the call it is about (a denial marks that call denied). */
  approvals: Record<string, string>;
}

export const emptyRun = (runId: string): RunView => ({ runId, items: [], turns: [], generationMs: 0, approvals: {} });

const at = (event: RunEvent) => Date.parse(event.time);

const markDenied = (view: RunView, callId: string | undefined, reason: string): RunView =>
  callId ? { ...view, items: view.items.map((item) => (item.kind === 'tool' && item.callId === callId ? { ...item, status: 'denied', error: reason } : item)) } : view;

/** Calls of the current step still running. */
const running = (items: TimelineItem[]) => items.filter((i) => i.kind === 'tool' && i.status === 'running') as ToolCallItem[];

const isCompaction = (source: string, message: string) => /compact/i.test(source) || /compact/i.test(message);

export function foldEvent(view: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'run.started':
      return { ...view, goal: event.goal, model: event.model, started: true, startedAt: at(event), phase: { kind: 'model', since: at(event), chars: 0 }, ...(event.continues ? { continues: event.continues } : {}) };
    case 'run.resumed': {
      // The same session continues (resumed from its checkpoint): it is running again.
      const { finished: _finished, ...again } = view;
      return { ...again, goal: event.goal, phase: { kind: 'model', since: at(event), chars: 0 } };
    }
    case 'model.thinking':
    case 'model.delta': {
      const phase = view.phase?.kind === 'model' ? view.phase : { kind: 'model' as const, since: at(event), chars: 0 };
      const timing = { firstTokenAt: view.firstTokenAt ?? at(event), phase: { ...phase, chars: phase.chars + event.text.length, firstAt: phase.firstAt ?? at(event) } };
      if (event.type === 'model.thinking') return { ...view, ...timing };
      const last = view.items.at(-1);
      if (last?.kind === 'text' && last.step === event.step) {
        return { ...view, ...timing, items: [...view.items.slice(0, -1), { ...last, text: last.text + event.text }] };
      }
      return { ...view, ...timing, items: [...view.items, { kind: 'text', step: event.step, text: event.text }] };
    }
    case 'tool.called': {
      const { step, callId, name, args, repaired } = event;
      const item: ToolCallItem = { kind: 'tool', step, callId, name, args, status: 'running', ...(repaired ? { repaired } : {}) };
      return { ...view, phase: { kind: 'tool', since: at(event), name }, items: [...view.items, item] };
    }
    case 'tool.result': {
      const items = view.items.map((item): TimelineItem =>
        item.kind === 'tool' && item.callId === event.callId
          ? {
              ...item,
              status: item.status === 'denied' ? 'denied' : event.ok ? 'ok' : 'error',
              output: event.output,
              error: item.status === 'denied' ? item.error : event.error,
              durationMs: event.durationMs,
              truncated: event.truncated,
              ...(event.userMs ? { userMs: event.userMs } : {}),
            }
          : item,
      );
      const still = running(items);
      const phase: RunPhase = still.length ? { kind: 'tool', since: view.phase?.since ?? at(event), name: still[0]!.name } : { kind: 'model', since: at(event), chars: 0 };
      return { ...view, items, phase };
    }
    case 'approval.requested':
      return { ...view, approvals: { ...view.approvals, [event.id]: event.callId } };
    case 'approval.resolved':
      return event.decision === 'deny' ? markDenied(view, view.approvals[event.id], `denied by ${event.by}${event.reason ? `: ${event.reason}` : ''}`) : view;
    case 'policy.denied':
      return markDenied(view, event.callId, `denied by policy: ${event.reason}`);
    case 'loop.detected': {
      const { step, pattern, detail, reflections } = event;
      return { ...view, items: [...view.items, { kind: 'loop', step, pattern, detail, reflections }] };
    }
    case 'model.retry': {
      const { step, attempt, delayMs, error } = event;
      return { ...view, items: [...view.items, { kind: 'retry', step, attempt, delayMs, error }] };
    }
    case 'model.completed': {
      const { step, usage, durationMs, toolCalls } = event;
      const turn = { step, usage, durationMs, toolCalls };
      const firstAt = view.phase?.kind === 'model' ? view.phase.firstAt : undefined;
      const generated = firstAt !== undefined ? Math.max(1, at(event) - firstAt) : 0;
      return { ...view, generationMs: view.generationMs + generated, phase: { kind: 'model', since: at(event), chars: 0 }, turns: [...view.turns, turn], items: [...view.items, { kind: 'turn', ...turn }] };
    }
    case 'run.notice': {
      const { level, source, message } = event;
      const item: TimelineItem = isCompaction(source, message) ? { kind: 'compaction', message } : { kind: 'notice', level, source, message };
      return { ...view, items: [...view.items, item] };
    }
    case 'memory.compacted':
      return { ...view, items: [...view.items, { kind: 'compaction', message: describeCompaction(event) }] };
    case 'run.finished': {
      const { phase: _phase, ...ended } = view;
      return { ...ended, finished: event };
    }
    default: {
      // Event types added by later capabilities: compactions get their marker, the rest is not shown yet.
      const type = (event as { type: string }).type;
      return type.includes('compact') ? { ...view, items: [...view.items, { kind: 'compaction', message: type }] } : view;
    }
  }
}

/** A run's speed and cost: time to first token, tokens per second while generating, tokens used. */
export interface RunStats {
  ttftMs?: number;
  tokensPerSecond?: number;
  promptTokens: number;
  completionTokens: number;
  modelMs: number;
}

export function runStats(view: RunView): RunStats {
  const promptTokens = view.turns.reduce((sum, t) => sum + t.usage.promptTokens, 0);
  const completionTokens = view.turns.reduce((sum, t) => sum + t.usage.completionTokens, 0);
  const modelMs = view.turns.reduce((sum, t) => sum + t.durationMs, 0);
  return {
    promptTokens,
    completionTokens,
    modelMs,
    ...(view.startedAt !== undefined && view.firstTokenAt !== undefined ? { ttftMs: view.firstTokenAt - view.startedAt } : {}),
    ...(view.generationMs > 0 && completionTokens > 0 ? { tokensPerSecond: completionTokens / (view.generationMs / 1000) } : {}),
  };
}

export interface RunsState {
  runs: Record<string, RunView>;
  currentRunId?: string;
}

export type RunsAction =
  | { type: 'event'; event: RunEvent }
  | { type: 'select'; runId: string | undefined }
  | { type: 'load'; runId: string; events: RunEvent[] };

export function runsReducer(state: RunsState, action: RunsAction): RunsState {
  if (action.type === 'load') {
    return { ...state, runs: { ...state.runs, [action.runId]: action.events.reduce(foldEvent, emptyRun(action.runId)) } };
  }
  if (action.type === 'select') {
    if (!action.runId) return { ...state, currentRunId: undefined };
    const runs = state.runs[action.runId] ? state.runs : { ...state.runs, [action.runId]: emptyRun(action.runId) };
    return { runs, currentRunId: action.runId };
  }
  const { event } = action;
  const view = state.runs[event.runId] ?? emptyRun(event.runId);
  return { ...state, runs: { ...state.runs, [event.runId]: foldEvent(view, event) } };
}
