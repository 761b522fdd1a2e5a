// One-line descriptions of events, shared by the CLI and the desktop timeline.
import type { MemoryCompactedEvent } from './events.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** e.g. "summarised 3 turns into note 12 (5,530 → 1,804 tokens)". */
export function describeCompaction(event: Pick<MemoryCompactedEvent, 'turnsRemoved' | 'tokensBefore' | 'tokensAfter' | 'noteId' | 'method'>): string {
  const tokens = `${event.tokensBefore.toLocaleString('en-US')} → ${event.tokensAfter.toLocaleString('en-US')} tokens`;
  return `summarised ${plural(event.turnsRemoved, 'turn')} into note ${event.noteId} (${tokens}${event.method === 'truncation' ? ', by truncation' : ''})`;
}
