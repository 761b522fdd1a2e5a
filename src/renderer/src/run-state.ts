// Folds the run event stream into what the UI shows. Pure; one RunView per run id.
import { describeCompaction, type LoopPattern, type NoticeLevel, type RunEvent, type RunFinishedEvent, type Usage } from '../../common/index.ts';

export interface ToolCallItem {
  kind: 'tool';
  step: number;
  callId: string;
  name: string;
  args: unknown;
  repaired?: string;
  status: 'running' | 'ok' | 'error';
  output?: string;
  error?: string;
  durationMs?: number;
  truncated?: boolean;
}

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
}

export const emptyRun = (runId: string): RunView => ({ runId, items: [], turns: [] });

const isCompaction = (source: string, message: string) => /compact/i.test(source) || /compact/i.test(message);

export function foldEvent(view: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'run.started':
      return { ...view, goal: event.goal, model: event.model, started: true, ...(event.continues ? { continues: event.continues } : {}) };
    case 'run.resumed': {
      // The same session continues (resumed from its checkpoint): it is running again.
      const { finished: _finished, ...running } = view;
      return { ...running, goal: event.goal };
    }
    case 'model.delta': {
      const last = view.items.at(-1);
      if (last?.kind === 'text' && last.step === event.step) {
        return { ...view, items: [...view.items.slice(0, -1), { ...last, text: last.text + event.text }] };
      }
      return { ...view, items: [...view.items, { kind: 'text', step: event.step, text: event.text }] };
    }
    case 'tool.called': {
      const { step, callId, name, args, repaired } = event;
      const item: ToolCallItem = { kind: 'tool', step, callId, name, args, status: 'running', ...(repaired ? { repaired } : {}) };
      return { ...view, items: [...view.items, item] };
    }
    case 'tool.result':
      return {
        ...view,
        items: view.items.map((item) =>
          item.kind === 'tool' && item.callId === event.callId
            ? {
                ...item,
                status: event.ok ? 'ok' : 'error',
                output: event.output,
                error: event.error,
                durationMs: event.durationMs,
                truncated: event.truncated,
              }
            : item,
        ),
      };
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
      return { ...view, turns: [...view.turns, turn], items: [...view.items, { kind: 'turn', ...turn }] };
    }
    case 'run.notice': {
      const { level, source, message } = event;
      const item: TimelineItem = isCompaction(source, message) ? { kind: 'compaction', message } : { kind: 'notice', level, source, message };
      return { ...view, items: [...view.items, item] };
    }
    case 'memory.compacted':
      return { ...view, items: [...view.items, { kind: 'compaction', message: describeCompaction(event) }] };
    case 'run.finished':
      return { ...view, finished: event };
    default: {
      // Event types added by later capabilities: compactions get their marker, the rest is not shown yet.
      const type = (event as { type: string }).type;
      return type.includes('compact') ? { ...view, items: [...view.items, { kind: 'compaction', message: type }] } : view;
    }
  }
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
