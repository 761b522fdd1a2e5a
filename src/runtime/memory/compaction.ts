// Compaction: once the prompt crosses the high-water mark, the oldest verbatim turns are summarised by the model into
// a note and leave the working context until it is below the low-water mark (so compaction fires rarely).
// If the summariser fails or its prompt would overflow, a deterministic truncation keeps the same guarantees.
import { errorMessage, withTimeout } from '../base/index.ts';
import { estimateTokens, type ChatMessage, type ModelClient, type ToolSpec } from '../model/index.ts';
import { buildWorkingContext, turnStarts } from './working-context.ts';
import type { WorkingState } from './store.ts';

/** The running summary may take at most this share of the budget. */
const SUMMARY_SHARE = 0.25;
const LINE_CHARS = 200;
/** Room kept for a summary's reply (and where its generation stops). */
export const SUMMARY_REPLY_TOKENS = 512;

export const SUMMARY_INSTRUCTIONS =
  'You compact the memory of an agent. Summarize the earlier summary and the transcript below in plain prose: keep facts learned, results of tool calls, decisions, files and values, and what remains to do. Do not invent anything. Be brief.';

/** Appended to the current prompt (summary in context): the server reuses its cache and evaluates only this. */
export const IN_CONTEXT_INSTRUCTIONS =
  'Memory compaction: the older turns of this run are about to leave your context. Summarize the work so far for yourself to continue from, in plain prose: facts learned, results of tool calls, decisions, files and values, and what remains to do. Include what the earlier summary says. Do not invent anything, do not call tools; reply with the summary only, briefly.';

export interface CompactionPlan {
  /** New compactedThrough: history before this index leaves the working context. */
  cut: number;
  turnsRemoved: number;
}

/**
 * Drops the oldest whole turns until the rest (with `summaryReserve` tokens for the summary and the tools) is below
 * the low-water mark `target` tokens; the latest turn always stays.
 */
export function planCompaction(
  history: readonly ChatMessage[],
  state: WorkingState,
  target: number,
  size: (messages: readonly ChatMessage[]) => number,
): CompactionPlan | undefined {
  const starts = turnStarts(history, state.compactedThrough, state.goalAt);
  let turnsRemoved = 0;
  let cut = state.compactedThrough;
  for (const start of starts.slice(1)) {
    cut = start;
    turnsRemoved++;
    if (size(buildWorkingContext(history, { ...state, compactedThrough: cut })) <= target) break;
  }
  return turnsRemoved ? { cut, turnsRemoved } : undefined;
}

/**
 * Observation masking, in small batches: tool results stay verbatim for the latest `keep` model turns; once
 * keep + max(keep, 2) turns are verbatim, all but the latest `keep` are set aside. Each masking makes the model server
 * evaluate again what follows the first new stub (the kept turns, including tool calls it generated and had cached),
 * so masking every other step costs less than every step, and far less than the results it removes.
 * Returns the new maskedThrough, or undefined when it stays.
 */
export function planMasking(history: readonly ChatMessage[], state: WorkingState, keep: number): number | undefined {
  const from = Math.max(state.compactedThrough, state.maskedThrough ?? 0);
  const starts = turnStarts(history, from, state.goalAt).filter((i) => history[i]!.role === 'assistant');
  return starts.length >= keep + Math.max(keep, 2) ? starts[starts.length - keep] : undefined;
}

/** The summary asked for in context: the current prompt (same tools) plus the request, so only the request is new. */
export async function summariseInContext(params: {
  model: ModelClient;
  working: readonly ChatMessage[];
  tools: readonly ToolSpec[];
  previous: string | undefined;
  dropped: readonly ChatMessage[];
  budget: number;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<Summary> {
  const maxChars = Math.max(400, Math.floor(params.budget * SUMMARY_SHARE * 4));
  const { signal, dispose } = withTimeout(params.signal, params.timeoutMs, 'summarising for compaction');
  try {
    let text = '';
    const messages: ChatMessage[] = [...params.working, { role: 'user', content: IN_CONTEXT_INSTRUCTIONS }];
    for await (const chunk of params.model.chat({ messages, tools: [...params.tools], maxReplyTokens: SUMMARY_REPLY_TOKENS, signal })) if (chunk.type === 'text') text += chunk.text;
    text = text.trim();
    if (!text) throw new Error('the model returned an empty summary');
    return { text: text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text, method: 'model' };
  } catch (error) {
    if (params.signal.aborted) throw error;
    return { text: truncation(params.previous, params.dropped, maxChars), method: 'truncation', fallbackReason: errorMessage(error) };
  } finally {
    dispose();
  }
}

export interface Summary {
  text: string;
  method: 'model' | 'truncation';
  /** Why the model summary was not used. */
  fallbackReason?: string;
}

export async function summarise(params: {
  model: ModelClient;
  previous: string | undefined;
  dropped: readonly ChatMessage[];
  budget: number;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<Summary> {
  const maxChars = Math.max(400, Math.floor(params.budget * SUMMARY_SHARE * 4));
  const transcript = params.dropped.map(render).join('\n');
  const prompt = `${params.previous ? `Earlier summary:\n${params.previous}\n\n` : ''}Transcript:\n${transcript}`;
  if (estimateTokens(SUMMARY_INSTRUCTIONS + prompt) > params.budget) {
    return { text: truncation(params.previous, params.dropped, maxChars), method: 'truncation', fallbackReason: 'the turns to summarise exceed the budget' };
  }
  const { signal, dispose } = withTimeout(params.signal, params.timeoutMs, 'summarising for compaction');
  try {
    let text = '';
    const messages: ChatMessage[] = [
      { role: 'system', content: SUMMARY_INSTRUCTIONS },
      { role: 'user', content: prompt },
    ];
    for await (const chunk of params.model.chat({ messages, maxReplyTokens: SUMMARY_REPLY_TOKENS, signal })) if (chunk.type === 'text') text += chunk.text;
    text = text.trim();
    if (!text) throw new Error('the model returned an empty summary');
    return { text: text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text, method: 'model' };
  } catch (error) {
    if (params.signal.aborted) throw error;
    return { text: truncation(params.previous, params.dropped, maxChars), method: 'truncation', fallbackReason: errorMessage(error) };
  } finally {
    dispose();
  }
}

/** Deterministic summary: one short line per dropped message; the newest lines win when it must be cut. */
export function truncation(previous: string | undefined, dropped: readonly ChatMessage[], maxChars: number): string {
  const lines = [...(previous ? [previous] : []), ...dropped.map((m) => clip(render(m), LINE_CHARS))];
  const text = lines.join('\n');
  return text.length > maxChars ? `…${text.slice(text.length - maxChars + 1)}` : text;
}

function render(message: ChatMessage): string {
  const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (message.role === 'tool') return `${message.toolName} returned: ${flat(message.content)}`;
  if (message.role === 'assistant') {
    const calls = (message.toolCalls ?? []).map((c) => `called ${c.name}(${JSON.stringify(c.arguments)})`);
    return `assistant: ${[flat(message.content), ...calls].filter(Boolean).join('; ')}`;
  }
  return `${message.role}: ${flat(message.content)}`;
}

function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}
