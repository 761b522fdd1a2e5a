// Assembles the Messages API's stream events into Rein's model chunks: text and thinking as they come, each tool
// call once its input JSON is complete, usage (cached input included) at the end.
import type { Usage } from '../../../common/index.ts';
import { ModelResponseError } from '../errors.ts';
import type { ModelChunk } from '../types.ts';

interface StreamEvent {
  type: string;
  index?: number;
  message?: { usage?: UsageFields };
  content_block?: { type: string; id?: string; name?: string; text?: string; input?: unknown; thinking?: string; signature?: string; data?: string };
  delta?: { type?: string; text?: string; thinking?: string; signature?: string; partial_json?: string; stop_reason?: string | null };
  usage?: UsageFields;
}

/** The assistant's content as received, block by block, to echo back within a tool cycle. */
type ReceivedBlock = Record<string, unknown> & { type: string };

interface UsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

interface ToolBlock {
  id: string;
  name: string;
  json: string;
  /** The input given whole at the block's start (some gateways send it there, not as deltas). */
  input: unknown;
}

export class StreamAssembler {
  private readonly tools = new Map<number, ToolBlock>();
  private readonly received = new Map<number, ReceivedBlock>();
  private readonly usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  private stopReason: string | undefined;
  private stopped = false;

  *push(raw: unknown): Iterable<ModelChunk> {
    const event = raw as StreamEvent;
    switch (event.type) {
      case 'message_start':
        this.addUsage(event.message?.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block) this.received.set(event.index ?? 0, { ...block });
        if (block?.type === 'tool_use') this.tools.set(event.index ?? 0, { id: block.id ?? `call_${event.index ?? 0}`, name: block.name ?? '', json: '', input: block.input });
        else if (block?.type === 'text' && block.text) yield { type: 'text', text: block.text };
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        this.record(event.index ?? 0, delta);
        if (delta?.type === 'text_delta' && delta.text) yield { type: 'text', text: delta.text };
        else if (delta?.type === 'thinking_delta' && delta.thinking) yield { type: 'thinking', text: delta.thinking };
        else if (delta?.type === 'input_json_delta') {
          const tool = this.tools.get(event.index ?? 0);
          if (tool) tool.json += delta.partial_json ?? '';
        }
        break;
      }
      case 'content_block_stop': {
        const tool = this.tools.get(event.index ?? 0);
        if (!tool) break;
        this.tools.delete(event.index ?? 0);
        const input = argumentsOf(tool);
        this.received.set(event.index ?? 0, { type: 'tool_use', id: tool.id, name: tool.name, input: typeof input === 'object' && input !== null ? input : {} });
        if (!tool.name) throw new ModelResponseError(`the model produced a tool call without a name (${tool.id})`, { transient: false });
        yield { type: 'tool_call', call: { id: tool.id, name: tool.name, arguments: input } };
        break;
      }
      case 'message_delta':
        this.stopReason = event.delta?.stop_reason ?? this.stopReason;
        this.addUsage(event.usage);
        break;
      case 'message_stop':
        this.stopped = true;
        break;
    }
  }

  /** The done chunk; a stream that ended without message_stop was cut (worth a retry only before any output). */
  finish(): ModelChunk {
    if (!this.stopped) throw new ModelResponseError('the Anthropic API closed the stream before the message ended', { transient: true });
    const { input, output, cacheRead, cacheWrite } = this.usage;
    const usage: Usage = { promptTokens: input + cacheRead + cacheWrite, completionTokens: output, ...(cacheRead ? { cachedPromptTokens: cacheRead } : {}) };
    // Signed thinking must come back verbatim with the tool results of this turn; without it nothing needs echoing.
    const blocks = [...this.received.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    const replay = blocks.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking') ? { replay: { provider: 'anthropic', content: blocks } } : {};
    return { type: 'done', usage, ...(this.stopReason ? { doneReason: this.stopReason } : {}), ...replay };
  }

  private record(index: number, delta: StreamEvent['delta']): void {
    const block = this.received.get(index);
    if (!block || !delta) return;
    if (delta.type === 'text_delta') block.text = `${String(block.text ?? '')}${delta.text ?? ''}`;
    else if (delta.type === 'thinking_delta') block.thinking = `${String(block.thinking ?? '')}${delta.thinking ?? ''}`;
    else if (delta.type === 'signature_delta') block.signature = delta.signature ?? '';
  }

  /** message_start carries the input counts; message_delta cumulative ones (the larger is the final figure). */
  private addUsage(fields: UsageFields | undefined): void {
    if (!fields) return;
    this.usage.input = Math.max(this.usage.input, fields.input_tokens ?? 0);
    this.usage.output = Math.max(this.usage.output, fields.output_tokens ?? 0);
    this.usage.cacheRead = Math.max(this.usage.cacheRead, fields.cache_read_input_tokens ?? 0);
    this.usage.cacheWrite = Math.max(this.usage.cacheWrite, fields.cache_creation_input_tokens ?? 0);
  }
}

/** The input as JSON text when it streamed, else as given; text that is not JSON goes to the loop's repair as is. */
function argumentsOf(tool: ToolBlock): unknown {
  if (!tool.json.trim()) return tool.input ?? {};
  try {
    return JSON.parse(tool.json) as unknown;
  } catch {
    return tool.json;
  }
}
