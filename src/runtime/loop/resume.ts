// Tool calls that were in flight when a run was interrupted: no side effect repeats silently.
import type { ChatMessage, ModelToolCall } from '../model/index.ts';
import type { InvokeContext, ToolGuard, ToolRegistry } from '../tools/index.ts';

export const UNKNOWN_OUTCOME_MESSAGE =
  'Outcome unknown: the run was interrupted while this call was in flight, and it was not repeated because it may have side effects. Check its effect before calling it again.';

/** Re-runs read-only (idempotent) calls through the guard; the others are reported to the model as unknown outcome. */
export async function settleInterrupted(
  deps: { guard: ToolGuard; registry: ToolRegistry },
  calls: ModelToolCall[],
  context: InvokeContext,
): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  for (const call of calls) {
    if (deps.registry.get(call.name)?.capability === 'read') {
      const r = await deps.guard.invoke(call, context);
      messages.push({ role: 'tool', callId: r.callId, toolName: r.name, content: r.ok ? (r.output ?? '') : `Error: ${r.error}` });
    } else {
      context.emit({ type: 'tool.result', step: context.step, callId: call.id, name: call.name, ok: false, error: UNKNOWN_OUTCOME_MESSAGE, durationMs: 0, unknownOutcome: true });
      messages.push({ role: 'tool', callId: call.id, toolName: call.name, content: `Error: ${UNKNOWN_OUTCOME_MESSAGE}` });
    }
  }
  return messages;
}
