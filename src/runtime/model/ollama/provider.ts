import { Ollama, type ChatResponse, type ShowResponse } from 'ollama';
import type { ModelConfig } from '../../config/index.ts';
import { ContextOverflowError, ModelResponseError } from '../errors.ts';
import { fitToContext } from '../context-fit.ts';
import { DEFAULT_RETRY, retryingStream, withRetry, type RetryPolicy, type StreamProgress } from '../retry.ts';
import type { ChatMessage, ChatRequest, ModelChunk, ModelClient, ModelInfo, ModelListing, ModelToolCall, PullProgress, ToolSpec } from '../types.ts';
import { mapOllamaError } from './errors.ts';
import { toOllamaMessages, toOllamaTools } from './messages.ts';
import { formatSchema, parseProtocolReply, toProtocolMessages } from '../format-protocol.ts';
import { ThinkSplitter, type SplitPiece } from '../think-splitter.ts';
import { PromptCalibration, toolTokens } from '../calibration.ts';

/** Used when num_ctx is not configured: the model's own length, but never more than this. */
export const AUTO_NUM_CTX_CAP = 32_768;
const FALLBACK_NUM_CTX = 4096;

export interface OllamaProviderOptions {
  retry?: Partial<RetryPolicy>;
}

export class OllamaProvider implements ModelClient {
  readonly provider = 'ollama';
  readonly model: string;
  readonly location: string;
  private readonly config: ModelConfig;
  private readonly retry: RetryPolicy;
  private infoPromise: Promise<ModelInfo> | undefined;
  private readonly calibration = new PromptCalibration();
  /** /api/ps was asked (once, after the first reply) for the context the model is actually loaded with. */
  private loadedChecked = false;

  constructor(config: ModelConfig, options: OllamaProviderOptions = {}) {
    this.config = config;
    this.model = config.name;
    this.location = config.base_url;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** /api/show, cached once it succeeds. */
  info(signal?: AbortSignal): Promise<ModelInfo> {
    this.infoPromise ??= this.call(signal, (client) => client.show({ model: this.model })).then(
      (show) => this.toInfo(show),
      (error: unknown) => {
        this.infoPromise = undefined;
        throw error;
      },
    );
    return this.infoPromise;
  }

  /** Tokens of a prompt, estimated locally and calibrated against this model's prompt_eval_count. */
  estimateTokens(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    return this.calibration.estimate(messages, tools);
  }

  async listModels(signal?: AbortSignal): Promise<ModelListing[]> {
    const list = await this.call(signal, (client) => client.list());
    return list.models.map((m) => ({ name: m.name, sizeBytes: m.size, parameterSize: m.details?.parameter_size }));
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const response = await this.call(signal, (client) => client.embed({ model: this.model, input: texts }));
    return response.embeddings;
  }

  howToAdd(name: string): string {
    return `run \`ollama pull ${name}\``;
  }

  /** /api/pull, streamed: one progress report per status line. A different model name than the configured one is fine. */
  async pull(name: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    await this.call(signal, async (client) => {
      for await (const line of await client.pull({ model: name, stream: true })) {
        onProgress({ status: line.status, ...(line.total ? { completed: line.completed ?? 0, total: line.total } : {}) });
      }
    });
  }

  /** /api/delete. */
  async remove(name: string): Promise<void> {
    await this.call(undefined, (client) => client.delete({ model: name }));
  }

  async *chat(request: ChatRequest): AsyncIterable<ModelChunk> {
    const info = await withRetry(this.retry, () => this.info(request.signal), request);
    yield* retryingStream(this.retry, request, (progress) => this.streamOnce(request, info, progress), async (error) => {
      if (error instanceof ContextOverflowError) {
        // The loop shrinks the prompt and retries: against the real window, from the error or /api/ps.
        if (error.contextWindow && error.contextWindow < info.contextWindow) info.contextWindow = error.contextWindow;
        else await this.checkLoadedContext(info);
        return false;
      }
      if (!isToolsRejected(error) || !info.supportsTools) return false;
      info.supportsTools = false; // the server knows better than /api/show: use the JSON protocol
      return true;
    });
  }

  private async *streamOnce(request: ChatRequest, info: ModelInfo, progress: StreamProgress): AsyncIterable<ModelChunk> {
    const tools = request.tools ?? [];
    const native = tools.length === 0 || info.supportsTools;
    const reserve = Math.min(request.maxReplyTokens ?? 2048, Math.floor(info.contextWindow / 4));
    // Last resort only (memory compacts long before): the prompt, tools included, must fit the loaded context.
    const room = Math.floor((info.contextWindow - reserve) / this.calibration.scale) - (native ? toolTokens(tools) : 0);
    const fitted = fitToContext(request.messages, Math.max(256, room)).messages;
    const messages = native ? fitted : toProtocolMessages(fitted, tools);
    const expected = this.calibration.sending(messages, native ? tools : []);
    const body = {
      model: this.model,
      messages: toOllamaMessages(messages),
      stream: true as const,
      ...(native && tools.length ? { tools: toOllamaTools(tools) } : {}),
      ...(!native ? { format: formatSchema(tools) } : {}),
      ...(this.config.keep_alive !== undefined ? { keep_alive: this.config.keep_alive } : {}),
      ...(this.config.think !== undefined ? { think: this.config.think } : {}),
      options: { num_ctx: info.contextWindow, temperature: this.config.temperature, ...(request.maxReplyTokens ? { num_predict: request.maxReplyTokens } : {}) },
      // An overflow becomes an error (compact and retry) instead of a silently cut prompt (Ollama ≥ 0.12; ignored before).
      truncate: false,
      shift: false,
    };
    const stream = await this.call(request.signal, (client) => client.chat(body));
    let callCount = 0;
    const nextId = () => `call_${++callCount}`;
    let protocolBuffer = '';
    const splitter = new ThinkSplitter();
    try {
      for await (const part of stream) {
        if (native) {
          for (const chunk of nativeChunks(part, nextId, splitter)) {
            progress.yielded = true;
            yield chunk;
          }
        } else protocolBuffer += part.message?.content ?? '';
        if (part.done) {
          if (native) yield* splitter.flush().map(toChunk);
          else yield protocolChunk(protocolBuffer, nextId());
          progress.yielded = true;
          this.calibration.observe(expected, part.prompt_eval_count ?? 0);
          if (!this.loadedChecked) void this.checkLoadedContext(info);
          yield { type: 'done', usage: usageOf(part), doneReason: part.done_reason };
        }
      }
    } catch (error) {
      throw error instanceof ModelResponseError ? error : mapOllamaError(error, this.context(request.signal));
    } finally {
      stream.abort();
    }
  }

  /** /api/ps lists the models in memory; one asked for but not listed is being loaded (the first request loads it). */
  async isLoaded(signal?: AbortSignal): Promise<boolean> {
    const running = await this.call(signal, (client) => client.ps());
    const names = new Set([this.model, this.model.includes(':') ? this.model : `${this.model}:latest`]);
    return running.models.some((m) => names.has(m.name) || names.has(m.model));
  }

  /** The context the server loaded the model with (/api/ps) caps the window: never send more than it holds. */
  private async checkLoadedContext(info: ModelInfo): Promise<void> {
    this.loadedChecked = true;
    try {
      const running = await this.call(undefined, (client) => client.ps());
      const names = new Set([this.model, this.model.includes(':') ? this.model : `${this.model}:latest`]);
      const entry = running.models.find((m) => names.has(m.name) || names.has(m.model)) as { context_length?: unknown } | undefined;
      const loaded = typeof entry?.context_length === 'number' ? entry.context_length : undefined;
      if (loaded && loaded > 0 && loaded < info.contextWindow) info.contextWindow = loaded;
    } catch {
      // an older server without /api/ps details: the configured window stands
    }
  }

  private toInfo(show: ShowResponse): ModelInfo {
    const modelInfo = toRecord(show.model_info);
    const lengthKey = Object.keys(modelInfo).find((k) => k.endsWith('.context_length'));
    const maxContextLength = lengthKey ? Number(modelInfo[lengthKey]) || undefined : undefined;
    const capabilities = show.capabilities ?? [];
    const supportsTools = capabilities.length
      ? capabilities.includes('tools')
      : /\.Tools\b/.test(show.template ?? '');
    const contextWindow = this.config.num_ctx ?? Math.min(maxContextLength ?? FALLBACK_NUM_CTX, AUTO_NUM_CTX_CAP);
    const contextSource = this.config.num_ctx ? 'configured' : maxContextLength ? 'server' : 'default';
    return { name: this.model, contextWindow, contextSource, maxContextLength, capabilities, supportsTools };
  }

  /** Runs one ollama-js call with a fetch bound to `signal`, mapping its errors. */
  private async call<T>(signal: AbortSignal | undefined, operation: (client: Ollama) => Promise<T>): Promise<T> {
    const boundFetch: typeof fetch = (input, init) =>
      fetch(input, { ...init, signal: mergeSignals(init?.signal ?? undefined, signal) });
    const client = new Ollama({ host: this.config.base_url, fetch: boundFetch });
    try {
      return await operation(client);
    } catch (error) {
      throw mapOllamaError(error, this.context(signal));
    }
  }

  private context(signal?: AbortSignal) {
    return { host: this.config.base_url, model: this.model, signal };
  }
}

function* nativeChunks(part: ChatResponse, nextId: () => string, splitter: ThinkSplitter): Iterable<ModelChunk> {
  const message = part.message;
  if (!message) return;
  if (message.thinking) yield { type: 'thinking', text: message.thinking };
  if (message.content) yield* splitter.push(message.content).map(toChunk);
  for (const call of message.tool_calls ?? []) {
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } }).function;
    if (!fn || typeof fn.name !== 'string') {
      throw new ModelResponseError(`the model produced a tool call without a name: ${JSON.stringify(call)}`, { transient: false });
    }
    const toolCall: ModelToolCall = { id: nextId(), name: fn.name, arguments: fn.arguments ?? {} };
    yield { type: 'tool_call', call: toolCall };
  }
}

function toChunk(piece: SplitPiece): ModelChunk {
  return { type: piece.kind, text: piece.text };
}

function protocolChunk(content: string, callId: string): ModelChunk {
  const reply = parseProtocolReply(content, callId);
  return reply.kind === 'tool' ? { type: 'tool_call', call: reply.call } : { type: 'text', text: reply.text };
}

function isToolsRejected(error: unknown): boolean {
  return error instanceof ModelResponseError && error.status === 400 && /does not support tools/i.test(error.message);
}

function usageOf(part: ChatResponse) {
  return { promptTokens: part.prompt_eval_count ?? 0, completionTokens: part.eval_count ?? 0 };
}

function toRecord(value: unknown): Record<string, unknown> {
  if (value instanceof Map) return Object.fromEntries(value);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function mergeSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}
