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

export interface StepDetail {
  step: number;
  /** What the model answered in this step (its streamed text). */
  response: string;
  toolCalls: { callId: string; name: string; args: unknown; ok?: boolean; output?: string; error?: string; durationMs?: number }[];
  durationMs?: number;
  tokens?: string;
}

/** Per model step: its response, its tool calls with arguments and results, and its timings. */
export function stepDetails(events: readonly RunEvent[]): StepDetail[] {
  const steps = new Map<number, StepDetail>();
  const at = (step: number) => {
    let detail = steps.get(step);
    if (!detail) steps.set(step, (detail = { step, response: '', toolCalls: [] }));
    return detail;
  };
  for (const event of events) {
    switch (event.type) {
      case 'model.delta':
        at(event.step).response += event.text;
        break;
      case 'model.completed':
        Object.assign(at(event.step), { durationMs: event.durationMs, tokens: `${event.usage.promptTokens} + ${event.usage.completionTokens}` });
        break;
      case 'tool.called':
        at(event.step).toolCalls.push({ callId: event.callId, name: event.name, args: event.args });
        break;
      case 'tool.result': {
        const call = at(event.step).toolCalls.find((c) => c.callId === event.callId);
        if (call) Object.assign(call, { ok: event.ok, output: event.output, error: event.error, durationMs: event.durationMs });
        break;
      }
      default:
        break;
    }
  }
  return [...steps.values()].sort((a, b) => a.step - b.step);
}
