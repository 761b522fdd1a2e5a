// Folds the run event stream into what the UI shows. Pure; one RunView per run id.
import type { LoopPattern, RunEvent, RunFinishedEvent } from '../../common/index.ts';

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
  | { kind: 'retry'; step: number; attempt: number; delayMs: number; error: string };

export interface RunView {
  runId: string;
  goal?: string;
  model?: string;
  items: TimelineItem[];
  finished?: RunFinishedEvent;
}

export const emptyRun = (runId: string): RunView => ({ runId, items: [] });

export function foldEvent(view: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'run.started':
      return { ...view, goal: event.goal, model: event.model };
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
    case 'run.finished':
      return { ...view, finished: event };
    default:
      // model.completed, and event types added later that this view does not show yet.
      return view;
  }
}

export interface RunsState {
  runs: Record<string, RunView>;
  currentRunId?: string;
}

export type RunsAction = { type: 'event'; event: RunEvent } | { type: 'select'; runId: string };

export function runsReducer(state: RunsState, action: RunsAction): RunsState {
  if (action.type === 'select') {
    const runs = state.runs[action.runId] ? state.runs : { ...state.runs, [action.runId]: emptyRun(action.runId) };
    return { runs, currentRunId: action.runId };
  }
  const { event } = action;
  const view = state.runs[event.runId] ?? emptyRun(event.runId);
  return { ...state, runs: { ...state.runs, [event.runId]: foldEvent(view, event) } };
}
