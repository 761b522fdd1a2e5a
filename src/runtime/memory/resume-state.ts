// Rebuilds where an interrupted session continues: the last checkpoint, plus the step that was under way
// (its assistant turn from the log, finished tool results, and the calls that were still in flight).
import type { RunEvent, ToolCalledEvent, ToolResultEvent } from '../../common/index.ts';
import type { RunState } from '../loop/index.ts';
import type { ChatMessage, ModelToolCall } from '../model/index.ts';
import type { Checkpoint, WorkingState } from './store.ts';
import { initialWorkingState } from './working-context.ts';

export interface Restored {
  run: RunState;
  working: WorkingState;
}

/** `fresh`: the state of a run that never reached a checkpoint. `after`: the events logged after the checkpoint. */
export function restoreState(checkpoint: Checkpoint | undefined, fresh: ChatMessage[], after: readonly RunEvent[]): Restored {
  const run: RunState = checkpoint
    ? { ...checkpoint.run, messages: [...checkpoint.run.messages], usage: { ...checkpoint.run.usage } }
    : { messages: fresh, step: 0, usage: { promptTokens: 0, completionTokens: 0 }, reflections: 0 };
  const working = checkpoint?.working ?? initialWorkingState();
  const partialStep = run.step + 1;
  const ofStep = after.filter((e) => 'step' in e && e.step === partialStep);
  const called = new Map<string, ToolCalledEvent>();
  const results = new Map<string, ToolResultEvent>();
  for (const event of ofStep) {
    if (event.type === 'tool.called' && !called.has(event.callId)) called.set(event.callId, event);
    if (event.type === 'tool.result') results.set(event.callId, event);
  }
  // No tool call started: the interrupted model turn is simply done again.
  if (!called.size) return { run, working };

  const text = ofStep.map((e) => (e.type === 'model.delta' ? e.text : '')).join('');
  const calls: ModelToolCall[] = [...called.values()].map((c) => ({ id: c.callId, name: c.name, arguments: c.args }));
  run.messages.push({ role: 'assistant', content: text, toolCalls: calls });
  const completed = ofStep.find((e) => e.type === 'model.completed');
  if (completed?.type === 'model.completed') {
    run.usage.promptTokens += completed.usage.promptTokens;
    run.usage.completionTokens += completed.usage.completionTokens;
  }
  const interrupted: ModelToolCall[] = [];
  for (const call of calls) {
    const result = results.get(call.id);
    if (!result) interrupted.push(call);
    else run.messages.push({ role: 'tool', callId: call.id, toolName: result.name, content: result.ok ? (result.output ?? '') : `Error: ${result.error}` });
  }
  if (interrupted.length) run.interrupted = interrupted;
  else run.step = partialStep; // every call had finished: the step is complete
  return { run, working };
}
