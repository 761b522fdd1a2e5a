// One streamed chat completion, chunk by chunk, into Rein's model chunks: reasoning (`reasoning_content`, `reasoning`
// or inline <think>) as thinking, tool-call deltas assembled, printed tool calls caught, usage from whichever chunk
// carries it (a final one with empty choices when stream_options.include_usage is on), cached prompt tokens where
// the server reports them.
import { ModelResponseError } from '../errors.ts';
import { parseProtocolReply } from '../format-protocol.ts';
import { TextToolCalls } from '../text-tool-calls.ts';
import { ThinkSplitter } from '../think-splitter.ts';
import type { ModelChunk, ModelToolCall } from '../types.ts';
import type { Usage } from '../../../common/index.ts';
import { ToolCallAssembler, type ToolCallDelta } from './tool-calls.ts';

interface WireChunk {
  error?: unknown;
  choices?: { delta?: WireDelta; message?: WireDelta; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
  timings?: { cache_n?: number };
}

interface WireDelta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ToolCallDelta[] | null;
}

export type ReplyMode = { kind: 'native'; tools: string[] } | { kind: 'protocol' };

export class ReplyReader {
  finishReason: string | undefined;
  usage: { promptTokens?: number; completionTokens?: number; cachedPromptTokens?: number } = {};
  private readonly splitter = new ThinkSplitter();
  private readonly calls = new ToolCallAssembler();
  private readonly printed: TextToolCalls | undefined;
  private readonly mode: ReplyMode;
  private protocolText = '';
  private generatedChars = 0;
  private callCount = 0;

  constructor(mode: ReplyMode) {
    this.mode = mode;
    this.printed = mode.kind === 'native' && mode.tools.length ? new TextToolCalls(mode.tools) : undefined;
  }

  /** The chunks one SSE data payload gives; a payload with `error` is returned for the caller to raise. */
  read(data: string): { chunks: ModelChunk[]; error?: string } {
    let chunk: WireChunk;
    try {
      chunk = JSON.parse(data) as WireChunk;
    } catch {
      throw new ModelResponseError(`the server sent a stream chunk that is not JSON: ${data.slice(0, 200)}`, { transient: true });
    }
    if (chunk.error !== undefined && chunk.error !== null) return { chunks: [], error: typeof chunk.error === 'string' ? chunk.error : JSON.stringify({ error: chunk.error }) };
    this.readUsage(chunk);
    const out: ModelChunk[] = [];
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta ?? choice.message;
      if (delta) this.readDelta(delta, out);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return { chunks: out };
  }

  /** At the end of the stream: held text, the tool calls, and the usage (estimated where the server gave none). */
  finish(estimatedPrompt: number): { chunks: ModelChunk[]; usage: Usage } {
    const out: ModelChunk[] = [];
    for (const piece of this.splitter.flush()) this.addPiece(piece.kind, piece.text, out);
    const nextId = () => `call_${++this.callCount}`;
    if (this.mode.kind === 'protocol') {
      const reply = parseProtocolReply(this.protocolText, nextId());
      out.push(reply.kind === 'tool' ? { type: 'tool_call', call: reply.call } : { type: 'text', text: reply.text });
    } else {
      let calls: ModelToolCall[] = this.calls.finish(nextId);
      const printed = this.printed?.finish();
      if (printed?.text) out.push({ type: 'text', text: printed.text });
      if (!calls.length && printed?.calls.length) calls = printed.calls.map((c) => ({ id: nextId(), name: c.name, arguments: c.arguments }));
      for (const call of calls) out.push({ type: 'tool_call', call });
    }
    const { promptTokens, completionTokens, cachedPromptTokens } = this.usage;
    const usage: Usage = {
      promptTokens: promptTokens ?? estimatedPrompt,
      completionTokens: completionTokens ?? Math.ceil(this.generatedChars / 4),
      ...(cachedPromptTokens ? { cachedPromptTokens } : {}),
    };
    return { chunks: out, usage };
  }

  private readUsage(chunk: WireChunk): void {
    const usage = chunk.usage;
    if (usage) {
      if (typeof usage.prompt_tokens === 'number') this.usage.promptTokens = usage.prompt_tokens;
      if (typeof usage.completion_tokens === 'number') this.usage.completionTokens = usage.completion_tokens;
      const cached = usage.prompt_tokens_details?.cached_tokens;
      if (typeof cached === 'number') this.usage.cachedPromptTokens = cached;
    }
    // llama.cpp: tokens reused from the slot's cache.
    if (typeof chunk.timings?.cache_n === 'number' && this.usage.cachedPromptTokens === undefined) this.usage.cachedPromptTokens = chunk.timings.cache_n;
  }

  private readDelta(delta: WireDelta, out: ModelChunk[]): void {
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === 'string' && reasoning) {
      this.generatedChars += reasoning.length;
      out.push({ type: 'thinking', text: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content) {
      this.generatedChars += delta.content.length;
      for (const piece of this.splitter.push(delta.content)) this.addPiece(piece.kind, piece.text, out);
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length) this.calls.push(delta.tool_calls);
  }

  private addPiece(kind: 'text' | 'thinking', text: string, out: ModelChunk[]): void {
    if (kind === 'thinking') out.push({ type: 'thinking', text });
    else if (this.mode.kind === 'protocol') this.protocolText += text;
    else {
      const shown = this.printed ? this.printed.push(text) : text;
      if (shown) out.push({ type: 'text', text: shown });
    }
  }
}
