// Observation masking, the first tier of compaction: the bulky tool results (and long tool-call arguments) of all
// but the latest turns leave the prompt, each replaced by a one-line stub giving its size and how the text began. The turns themselves stay, so the model still sees what it did; the full text stays in the run's history
// and episodic log. It needs no model call, and the prompt stays cached up to the first new stub. (Masking old
// observations was found to match LLM summaries at a fraction of the cost: Lindenbauer et al., "The Complexity Trap",
// 2025.) Summaries remain the second tier, for when the stubs themselves pile up.
import type { ChatMessage, ModelToolCall } from '../model/index.ts';

/** Results up to this size stay verbatim: a stub would save little. */
export const MASK_MIN_CHARS = 400;
const PREVIEW_CHARS = 60;
const ARGUMENT_CHARS = 60;

const masked = new WeakMap<ChatMessage, ChatMessage>();

/** The message as a masked turn shows it (the same object when there is nothing bulky in it). */
export function maskMessage(message: ChatMessage): ChatMessage {
  const known = masked.get(message);
  if (known) return known;
  let shown = message;
  if (message.role === 'tool' && message.content.length > MASK_MIN_CHARS) {
    shown = { ...message, content: stub(message.content) };
  } else if (message.role === 'assistant' && message.toolCalls?.some(hasLongArgument)) {
    shown = { ...message, toolCalls: message.toolCalls.map(clipArguments) };
  }
  masked.set(message, shown);
  return shown;
}

function stub(content: string): string {
  const preview = content.slice(0, PREVIEW_CHARS).replace(/\s+/g, ' ').trim();
  return `[earlier result set aside: ${content.length} characters beginning "${preview}…"]`;
}

function hasLongArgument(call: ModelToolCall): boolean {
  const args = call.arguments;
  return typeof args === 'object' && args !== null && Object.values(args).some((v) => typeof v === 'string' && v.length > ARGUMENT_CHARS + 40);
}

function clipArguments(call: ModelToolCall): ModelToolCall {
  if (!hasLongArgument(call)) return call;
  const clipped = Object.entries(call.arguments as Record<string, unknown>).map(([key, value]) =>
    typeof value === 'string' && value.length > ARGUMENT_CHARS + 40 ? [key, `${value.slice(0, ARGUMENT_CHARS)}… [${value.length} characters]`] : [key, value],
  );
  return { ...call, arguments: Object.fromEntries(clipped) };
}
