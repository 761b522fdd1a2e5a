// What goes to the model each step: the pinned system prompt (with other capabilities' pinned text), the goal,
// recalled notes and the summary of compacted turns — then the most recent turns, verbatim.
import type { ChatMessage } from '../model/index.ts';
import type { WorkingState } from './store.ts';

/** Index of the first turn in a run's history: [0] system prompt, [1] goal. */
export const FIRST_TURN = 2;

export function initialWorkingState(): WorkingState {
  return { compactedThrough: FIRST_TURN, recalled: [] };
}

export function buildWorkingContext(history: readonly ChatMessage[], state: WorkingState): ChatMessage[] {
  const [system, goal] = history;
  if (system?.role !== 'system' || goal?.role !== 'user') return [...history];
  const sections = [system.content];
  if (state.recalled.length) {
    sections.push(`Notes from memory that may help (from earlier sessions):\n${state.recalled.map((n) => `- [note ${n.id}] ${n.content}`).join('\n')}`);
  }
  if (state.summary) sections.push(`Summary of the earlier steps of this run (older turns were compacted):\n${state.summary}`);
  return [{ role: 'system', content: sections.join('\n\n') }, goal, ...history.slice(state.compactedThrough)];
}

/** Start indexes of the turns from `from` on: an assistant message and its tool results form one turn. */
export function turnStarts(history: readonly ChatMessage[], from: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < history.length; i++) if (history[i]!.role !== 'tool' || i === from) starts.push(i);
  return starts;
}
