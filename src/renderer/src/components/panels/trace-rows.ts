// A run's events as timeline rows: the steps that matter (model calls, tool calls, notices, loops), not every delta.
import type { RunEvent } from '../../../../common/index.ts';

export interface TraceRow {
  seq: number;
  offset: string;
  step?: number;
  label: string;
  duration?: string;
  tokens?: string;
  tone: 'model' | 'tool' | 'warn' | 'plain';
}

export function traceRows(events: readonly RunEvent[]): TraceRow[] {
  const start = events[0] ? Date.parse(events[0].time) : 0;
  return events.flatMap((event): TraceRow[] => {
    const base = { seq: event.seq, offset: `${((Date.parse(event.time) - start) / 1000).toFixed(2)}s` };
    switch (event.type) {
      case 'run.started':
        return [{ ...base, label: `run started on ${event.model} (${event.tools.length} tools)`, tone: 'plain' }];
      case 'model.completed':
        return [{ ...base, step: event.step, label: `model call${event.toolCalls ? ` → ${event.toolCalls} tool call(s)` : ''}`, duration: `${event.durationMs} ms`, tokens: `${event.usage.promptTokens} + ${event.usage.completionTokens}`, tone: 'model' }];
      case 'tool.result':
        return [{ ...base, step: event.step, label: `${event.name} ${event.ok ? 'ok' : `failed: ${event.error ?? ''}`}`, duration: `${event.durationMs} ms`, tone: event.ok ? 'tool' : 'warn' }];
      case 'model.retry':
        return [{ ...base, step: event.step, label: `retry ${event.attempt}: ${event.error}`, tone: 'warn' }];
      case 'loop.detected':
        return [{ ...base, step: event.step, label: `loop detected (${event.pattern})`, tone: 'warn' }];
      case 'run.notice':
        return [{ ...base, label: `${event.source}: ${event.message}`, tone: event.level === 'info' ? 'plain' : 'warn' }];
      case 'run.finished':
        return [{ ...base, label: `run ${event.status}${event.reason ? ` — ${event.reason}` : ''}`, tokens: `${event.usage.promptTokens} + ${event.usage.completionTokens}`, tone: 'plain' }];
      default:
        return [];
    }
  });
}
