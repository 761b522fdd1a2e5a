// What goes to the model each step: the pinned system prompt (with other capabilities' pinned text and the user's
// pinned notes), the goal (with this run's recalled notes), the summary of compacted turns — then the most recent
// turns, verbatim. Earlier exchanges of a conversation sit between the system prompt and the goal; they are turns
// too, compacted first.
import type { ChatMessage } from '../model/index.ts';
import { addGoalContext, isGoalMessage } from '../loop/index.ts';
import { maskMessage } from './masking.ts';
import type { WorkingState } from './store.ts';

export const SUMMARY_HEADING = 'Summary of the earlier steps of this run (older turns were compacted):';

export function initialWorkingState(): WorkingState {
  return { compactedThrough: 1, recalled: [] };
}

/** Index of the run's goal: the last user message with its text ([1] when there is no earlier conversation). */
export function goalIndex(history: readonly ChatMessage[], goal: string): number {
  const index = history.findLastIndex((m) => m.role === 'user' && isGoalMessage(m.content, goal));
  return index > 0 ? index : 1;
}

export function buildWorkingContext(history: readonly ChatMessage[], state: WorkingState): ChatMessage[] {
  const goalAt = state.goalAt ?? 1;
  const [system] = history;
  const goal = history[goalAt];
  if (system?.role !== 'system' || goal?.role !== 'user') return [...history];
  // Pinned notes change only when the user pins or edits one: they stay in the system prompt, a prefix the server reuses.
  const pinned = state.pinned?.length ? `Pinned notes (the user asked that you always keep these in mind):\n${state.pinned.map((n) => `- [note ${n.id}] ${n.content}`).join('\n')}` : undefined;
  const systemShown: ChatMessage = pinned ? { role: 'system', content: `${system.content}\n\n${pinned}` } : system;
  // Recalled notes go with the goal, so the system prompt stays the same from run to run (cached by the server).
  const notes = state.recalled.length ? `Notes from memory that may help (from earlier sessions):\n${state.recalled.map((n) => `- [note ${n.id}] ${n.content}`).join('\n')}` : undefined;
  const goalShown: ChatMessage = notes ? { role: 'user', content: addGoalContext(notes, goal.content) } : goal;
  // The summary follows the goal as a message, so system prompt and goal stay a prefix the model server reuses.
  const summary: ChatMessage[] = state.summary ? [{ role: 'user', content: `${SUMMARY_HEADING}\n${state.summary}` }] : [];
  // Turns before maskedThrough show their bulky tool results as stubs (masking.ts).
  const maskedThrough = state.maskedThrough ?? 0;
  const shown = (from: number, to = history.length) => history.slice(from, to).map((m, i) => (from + i < maskedThrough ? maskMessage(m) : m));
  return [
    systemShown,
    ...shown(state.compactedThrough, goalAt),
    goalShown,
    ...summary,
    ...shown(Math.max(state.compactedThrough, goalAt + 1)),
  ];
}

/** Start indexes of the turns from `from` on: an assistant message and its tool results form one turn; the goal is none. */
export function turnStarts(history: readonly ChatMessage[], from: number, goalAt = 1): number[] {
  const starts: number[] = [];
  for (let i = from; i < history.length; i++) {
    if (i === goalAt) continue;
    if (history[i]!.role !== 'tool' || i === from || i === goalAt + 1) starts.push(i);
  }
  return starts;
}

/** The messages a compaction up to `cut` drops (never the goal), masked ones as the model last saw them. */
export function droppedTurns(history: readonly ChatMessage[], state: WorkingState, cut: number): ChatMessage[] {
  const goalAt = state.goalAt ?? 1;
  const maskedThrough = state.maskedThrough ?? 0;
  return history
    .slice(state.compactedThrough, cut)
    .map((m, i) => (state.compactedThrough + i < maskedThrough ? maskMessage(m) : m))
    .filter((_, i) => state.compactedThrough + i !== goalAt);
}
