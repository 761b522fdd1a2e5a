// Anthropic's Messages API through the official SDK (opt-in cloud: policy.model_egress must allow it). The stable
// prefix — tools and system prompt — and the newest message carry cache breakpoints, so each step pays full price
// only for what is new.
import type Anthropic from '@anthropic-ai/sdk';
import { ReinError } from '../../base/index.ts';
import type { ModelConfig } from '../../config/index.ts';
import { fitToContext } from '../context-fit.ts';
import { ContextOverflowError, ModelResponseError, isTransient } from '../errors.ts';
import { DEFAULT_RETRY, retryingStream, withRetry, type RetryPolicy, type StreamProgress } from '../retry.ts';
import type { ChatRequest, ModelChunk, ModelClient, ModelInfo, ModelListing, ToolSpec } from '../types.ts';
import { DEFAULT_ANTHROPIC_CONTEXT, acceptsTemperature, knownContextWindow } from './context-windows.ts';
import { mapAnthropicError } from './errors.ts';
import { toAnthropicPrompt } from './messages.ts';
import { StreamAssembler } from './stream.ts';

/** A reply's token limit when neither the request nor model.max_tokens says (the API requires one). */
export const DEFAULT_MAX_TOKENS = 4096;
const DEFAULT_URL = 'https://api.anthropic.com';

export interface AnthropicProviderOptions {
  retry?: Partial<RetryPolicy>;
}

export class AnthropicProvider implements ModelClient {
  readonly provider = 'anthropic';
  readonly model: string;
  readonly location: string;
  private readonly config: ModelConfig;
  private readonly retry: RetryPolicy;
  private sdk: Promise<Anthropic> | undefined;
  private infoPromise: Promise<ModelInfo> | undefined;
  /** Sent only to models that take it (and dropped for good when the API refuses it). */
  private sendTemperature: boolean;

  constructor(config: ModelConfig, options: AnthropicProviderOptions = {}) {
    this.config = config;
    this.model = config.name;
    this.location = config.base_url || DEFAULT_URL;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sendTemperature = acceptsTemperature(config.name);
  }

  /** The window: model.num_ctx, else Anthropic's table, else what the API says of the model, else the family default. */
  info(signal?: AbortSignal): Promise<ModelInfo> {
    this.infoPromise ??= this.loadInfo(signal).catch((error: unknown) => {
      this.infoPromise = undefined;
      throw error;
    });
    return this.infoPromise;
  }

  private async loadInfo(signal?: AbortSignal): Promise<ModelInfo> {
    const base = { name: this.model, capabilities: ['completion', 'tools'], supportsTools: true };
    if (this.config.num_ctx) return { ...base, contextWindow: this.config.num_ctx, contextSource: 'configured' };
    const known = knownContextWindow(this.model);
    if (known) return { ...base, contextWindow: known, maxContextLength: known, contextSource: 'table' };
    try {
      const described = await this.call(signal, (client) => client.models.retrieve(this.model, {}, { signal }));
      if (described.max_input_tokens) return { ...base, contextWindow: described.max_input_tokens, maxContextLength: described.max_input_tokens, contextSource: 'server' };
    } catch (error) {
      if (!(error instanceof ReinError) || isTransient(error)) throw error;
      // a gateway without /v1/models: the family default, said once by the loop
    }
    return { ...base, contextWindow: DEFAULT_ANTHROPIC_CONTEXT, contextSource: 'default' };
  }

  async listModels(signal?: AbortSignal): Promise<ModelListing[]> {
    return this.call(signal, async (client) => {
      const models: ModelListing[] = [];
      for await (const model of client.models.list({ limit: 100 }, { signal })) models.push({ name: model.id });
      return models;
    });
  }

  async *chat(request: ChatRequest): AsyncIterable<ModelChunk> {
    const info = await withRetry(this.retry, () => this.info(request.signal), request);
    let echo = true;
    yield* retryingStream(this.retry, request, (progress) => this.streamOnce(request, info, progress, echo), (error) => {
      // Refusals the request can do without: sampling settings a newer model does not take, and a tool cycle
      // whose signed thinking was lost (a run resumed after a crash) — told as text instead.
      if (refuses(error, /temperature|top_p|top_k|sampling/i) && this.sendTemperature) return !(this.sendTemperature = false);
      if (refuses(error, /thinking/i) && echo) return !(echo = false);
      if (error instanceof ContextOverflowError && error.contextWindow && error.contextWindow < info.contextWindow) info.contextWindow = error.contextWindow;
      return false;
    });
  }

  private async *streamOnce(request: ChatRequest, info: ModelInfo, progress: StreamProgress, echo: boolean): AsyncIterable<ModelChunk> {
    const tools: ToolSpec[] = request.tools ?? [];
    const maxTokens = request.maxReplyTokens ?? this.config.max_tokens ?? DEFAULT_MAX_TOKENS;
    const reserve = Math.min(maxTokens, Math.floor(info.contextWindow / 4));
    // Last resort only (memory compacts long before): what is sent must fit the window.
    const fitted = fitToContext(request.messages, Math.max(256, info.contextWindow - reserve - Math.ceil(JSON.stringify(tools).length / 4))).messages;
    const prompt = toAnthropicPrompt(fitted, tools, { echo });
    const body = {
      model: this.model,
      max_tokens: maxTokens,
      ...(this.sendTemperature ? { temperature: this.config.temperature } : {}),
      messages: prompt.messages,
      ...(prompt.system.length ? { system: prompt.system } : {}),
      ...(prompt.tools.length ? { tools: prompt.tools } : {}),
      stream: true as const,
    };
    const stream = await this.call(request.signal, (client) => client.messages.create(body as unknown as Anthropic.MessageCreateParamsStreaming, { signal: request.signal }));
    const assembler = new StreamAssembler();
    try {
      for await (const event of stream) {
        for (const chunk of assembler.push(event)) {
          progress.yielded = true;
          yield chunk;
        }
      }
    } catch (error) {
      throw mapAnthropicError(error, this.context(request.signal));
    }
    const done = assembler.finish();
    progress.yielded = true;
    yield done;
  }

  /** Runs one SDK call, mapping its errors. */
  private async call<T>(signal: AbortSignal | undefined, operation: (client: Anthropic) => Promise<T>): Promise<T> {
    const client = await this.client();
    try {
      return await operation(client);
    } catch (error) {
      throw mapAnthropicError(error, this.context(signal));
    }
  }

  /** The SDK loads on first use (it is not needed by runs on local models). */
  private client(): Promise<Anthropic> {
    this.sdk ??= (async () => {
      const key = this.config.api_key;
      const official = this.location.replace(/\/+$/, '') === DEFAULT_URL;
      if (!key && official) {
        throw new ReinError('no API key for the Anthropic API: set model.api_key: ${env:ANTHROPIC_API_KEY} (or keychain:NAME after `rein secrets set NAME`), export ANTHROPIC_API_KEY, or paste one in the app under Settings → Model → API key');
      }
      const { default: AnthropicSdk } = await import('@anthropic-ai/sdk');
      // Retries are the runtime's (before the first chunk only); fetch is looked up per call so offline mode applies.
      return new AnthropicSdk({ apiKey: key ?? 'none', baseURL: this.location, maxRetries: 0, timeout: 600_000, fetch: (input, init) => globalThis.fetch(input, init) });
    })().catch((error: unknown) => {
      this.sdk = undefined;
      throw error;
    });
    return this.sdk;
  }

  private context(signal?: AbortSignal) {
    return { url: this.location, model: this.model, signal };
  }
}

function refuses(error: unknown, pattern: RegExp): boolean {
  return error instanceof ModelResponseError && error.status === 400 && pattern.test(error.message);
}
