// Keeps a prompt inside the context window: pinned messages stay, the oldest turns go first,
// and a tool call never loses its result (they leave together).
import type { ChatMessage } from './types.ts';

const CHARS_PER_TOKEN = 4;
const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateMessageTokens(message: ChatMessage): number {
  const calls = message.role === 'assistant' && message.toolCalls ? JSON.stringify(message.toolCalls) : '';
  return estimateTokens(message.content) + estimateTokens(calls) + MESSAGE_OVERHEAD_TOKENS;
}

export interface FitResult {
  messages: ChatMessage[];
  droppedMessages: number;
  estimatedTokens: number;
}

/** Pinned: every system message and the first user message (the goal). */
export function fitToContext(messages: ChatMessage[], budgetTokens: number): FitResult {
  const firstUser = messages.findIndex((m) => m.role === 'user');
  const pinned = (i: number) => messages[i]!.role === 'system' || i === firstUser;
  const groups = groupTurns(messages, pinned);
  let total = messages.reduce((sum, m) => sum + estimateMessageTokens(m), 0);
  let dropped = 0;
  // Drop the oldest unpinned group while over budget, but always keep the latest group.
  for (const group of groups.slice(0, -1)) {
    if (total <= budgetTokens) break;
    group.dropped = true;
    dropped += group.indexes.length;
    total -= group.tokens;
  }
  const kept = messages.filter((_, i) => !groups.some((g) => g.dropped && g.indexes.includes(i)));
  const shrunk = total > budgetTokens ? shrinkLargest(kept, total - budgetTokens) : kept;
  return {
    messages: shrunk,
    droppedMessages: dropped,
    estimatedTokens: shrunk.reduce((sum, m) => sum + estimateMessageTokens(m), 0),
  };
}

interface TurnGroup {
  indexes: number[];
  tokens: number;
  dropped?: boolean;
}

/** Unpinned messages grouped so an assistant tool-call message and its tool results stay together. */
function groupTurns(messages: ChatMessage[], pinned: (i: number) => boolean): TurnGroup[] {
  const groups: TurnGroup[] = [];
  messages.forEach((message, i) => {
    if (pinned(i)) return;
    const previous = groups.at(-1);
    const joinsPrevious = message.role === 'tool' && previous !== undefined;
    const group = joinsPrevious ? previous : { indexes: [], tokens: 0 };
    group.indexes.push(i);
    group.tokens += estimateMessageTokens(message);
    if (!joinsPrevious) groups.push(group);
  });
  return groups;
}

/** Last resort for a single oversized message: cut its middle, keeping head and tail. */
function shrinkLargest(messages: ChatMessage[], excessTokens: number): ChatMessage[] {
  let largest = 0;
  messages.forEach((m, i) => {
    if (m.content.length > messages[largest]!.content.length) largest = i;
  });
  const target = messages[largest]!;
  const keepChars = Math.max(200, target.content.length - (excessTokens + 50) * CHARS_PER_TOKEN);
  if (keepChars >= target.content.length) return messages;
  const head = target.content.slice(0, Math.floor(keepChars / 2));
  const tail = target.content.slice(target.content.length - Math.floor(keepChars / 2));
  const cut = target.content.length - head.length - tail.length;
  const content = `${head}\n[… ${cut} characters cut to fit the context window …]\n${tail}`;
  return messages.map((m, i) => (i === largest ? { ...m, content } : m));
}
