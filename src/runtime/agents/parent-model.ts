// Child side of the model channel: a ModelClient whose every turn is answered by the parent Rein over stdio.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CreateMessageResultWithToolsSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { raceAbort } from '../base/index.ts';
import type { ChatRequest, ModelChunk, ModelClient, ModelInfo, ModelListing } from '../model/index.ts';
import { SubagentError } from './errors.ts';
import { ANSWERED_BY, EMBED_METHOD, EmbedResultSchema, MODEL_INFO_METHOD, ModelInfoResultSchema, chatToSampling, chunksFromSampling } from './model-channel.ts';

/** The run's own step timeout and abort signal end a turn; this only bounds a request nobody ever answers. */
const REQUEST_TIMEOUT_MS = 6 * 60 * 60_000;

export class ParentModel implements ModelClient {
  /** Until the parent says which client answers: `parent`. Then its provider, location and model (for events, audit). */
  provider = 'parent';
  model: string;
  location = 'the parent Rein (over stdio)';
  private server: Server | undefined;
  private connected!: () => void;
  private readonly attached = new Promise<void>((resolve) => (this.connected = resolve));
  private details: Promise<ModelInfo> | undefined;

  /** `model`: the parent's model name (from the child's rein.yaml), until the parent says otherwise. */
  constructor(model: string) {
    this.model = model;
  }

  /** The MCP server of the stdio connection to the parent (one per subagent); usable once the parent initialized it. */
  attach(server: Server): void {
    this.server = server;
    const previous = server.oninitialized;
    server.oninitialized = () => {
      previous?.();
      this.connected();
      // The model's details are asked first, so they get request id 0: the MCP SDK ignores a cancellation of id 0
      // (`if (!requestId)`), and a stopped model turn must reach the parent.
      this.info().catch(() => undefined);
    };
  }

  info(signal?: AbortSignal): Promise<ModelInfo> {
    this.details ??= this.channel(signal).then(async (server) => {
      const info = await server.request({ method: MODEL_INFO_METHOD, params: {} }, ModelInfoResultSchema, { timeout: 60_000, ...(signal ? { signal } : {}) });
      const answeredBy = info[ANSWERED_BY] as { provider?: unknown; location?: unknown; model?: unknown } | undefined;
      if (typeof answeredBy?.provider === 'string') this.provider = answeredBy.provider;
      if (typeof answeredBy?.location === 'string') this.location = answeredBy.location;
      if (typeof answeredBy?.model === 'string') this.model = answeredBy.model;
      const { [ANSWERED_BY]: _answeredBy, ...details } = info;
      return details as ModelInfo;
    });
    const asked = this.details;
    asked.catch(() => {
      if (this.details === asked) this.details = undefined; // asked again next time
    });
    return asked;
  }

  async *chat(request: ChatRequest): AsyncIterable<ModelChunk> {
    const server = await this.channel(request.signal);
    // The low-level request: the SDK's createMessage() would also re-check tool_use/tool_result pairing, which Rein's
    // transcripts (notes between results, trimmed context) do not always keep; the parent reads the exact request.
    const result = await server.request({ method: 'sampling/createMessage', params: chatToSampling(request) }, CreateMessageResultWithToolsSchema, {
      timeout: REQUEST_TIMEOUT_MS,
      ...(request.signal ? { signal: request.signal } : {}),
    }).catch(fromParent);
    yield* chunksFromSampling(result);
  }

  /** Embeddings through the parent (its memory.embed_model source answers): memory recall and ranking work offline. */
  embedder(model: string): { model: string; embed(texts: string[], signal?: AbortSignal): Promise<number[][]> } {
    return {
      model,
      embed: async (texts, signal) => {
        if (!texts.length) return [];
        const server = await this.channel(signal);
        const result = await server.request({ method: EMBED_METHOD, params: { model, texts } }, EmbedResultSchema, { timeout: 120_000, ...(signal ? { signal } : {}) }).catch(fromParent);
        return result.vectors;
      },
    };
  }

  async listModels(): Promise<ModelListing[]> {
    return [{ name: this.model }];
  }

  private async channel(signal?: AbortSignal): Promise<Server> {
    await raceAbort(this.attached, signal ?? new AbortController().signal);
    if (!this.server) throw new SubagentError('no connection to the parent Rein');
    return this.server;
  }
}

/** The parent's own error message, without the MCP envelope (`MCP error -32603: …`) around it. */
function fromParent(error: unknown): never {
  if (error instanceof McpError && error.code === ErrorCode.InternalError) throw new Error(error.message.replace(/^MCP error -?\d+: /, ''), { cause: error });
  throw error;
}
