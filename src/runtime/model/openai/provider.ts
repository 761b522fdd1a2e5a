// A model behind an OpenAI-compatible server: LM Studio, llama.cpp's llama-server, vLLM, Jan, LocalAI, Ollama's /v1.
// Streams chat completions over SSE; the flavor (configured, or recognised once) selects the quirks and where the
// context window is read.
import type { ModelConfig } from '../../config/index.ts';
import { PromptCalibration, toolTokens } from '../calibration.ts';
import { fitToContext } from '../context-fit.ts';
import { ContextOverflowError, ModelNotFoundError, ModelResponseError } from '../errors.ts';
import { formatSchema, toProtocolMessages } from '../format-protocol.ts';
import { DEFAULT_RETRY, retryingStream, withRetry, type RetryPolicy, type StreamProgress } from '../retry.ts';
import type { ChatMessage, ChatRequest, ModelChunk, ModelClient, ModelInfo, ModelListing, ToolSpec } from '../types.ts';
import { detectFlavor, enrichListings, listingsOf, probeModel, type ModelFacts } from './detect.ts';
import { streamFailure } from './errors.ts';
import { traitsOf, type FlavorTraits, type KnownFlavor } from './flavors.ts';
import { OpenAiHttp } from './http.ts';
import { toWireMessages, toWireTools } from './messages.ts';
import { ReplyReader, type ReplyMode } from './reply-reader.ts';

/** The window assumed when neither the server nor rein.yaml says (the user is told). */
export const DEFAULT_CONTEXT_WINDOW = 4096;

/** Request fields a server may refuse; each is dropped after its first refusal. */
const OPTIONAL_FIELDS = ['stream_options', 'parallel_tool_calls', 'response_format', 'tool_choice', 'chat_template_kwargs', 'reasoning_effort'] as const;
type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export interface OpenAiProviderOptions {
  retry?: Partial<RetryPolicy>;
}

interface Server {
  flavor: KnownFlavor | undefined;
  models: ModelListing[];
}

export class OpenAiCompatibleProvider implements ModelClient {
  readonly provider = 'openai_compatible';
  readonly location: string;
  private readonly config: ModelConfig;
  private readonly retry: RetryPolicy;
  private readonly http: OpenAiHttp;
  private serverPromise: Promise<Server> | undefined;
  private infoPromise: Promise<ModelInfo> | undefined;
  private flavor: KnownFlavor | undefined;
  private resolvedName: string | undefined;
  private readonly calibration = new PromptCalibration();
  private readonly refused = new Set<OptionalField>();
  private rechecked = false;
  /** The server was asked what it is (once, even when it did not say). */
  private detected = false;

  constructor(config: ModelConfig, options: OpenAiProviderOptions = {}) {
    this.config = config;
    this.location = config.base_url;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.flavor = config.flavor === 'auto' ? undefined : config.flavor;
    this.http = new OpenAiHttp(config.base_url, config.api_key, () => ({ baseUrl: this.location, model: this.model, traits: this.traits, hasKey: Boolean(config.api_key) }));
    this.http.models = async () => (await this.listModels(AbortSignal.timeout(5000))).map((m) => m.name);
  }

  /** The configured name, or (none configured) the model the server serves. */
  get model(): string {
    return this.resolvedName ?? this.config.name;
  }

  /** The server as the user knows it ("LM Studio"), once known. */
  get serverTitle(): string {
    return this.traits.title;
  }

  private get traits(): FlavorTraits {
    return traitsOf(this.flavor);
  }

  howToAdd(name: string): string {
    return this.traits.addModel(name);
  }

  async listModels(signal?: AbortSignal): Promise<ModelListing[]> {
    return (await this.server(signal, true)).models;
  }

  estimateTokens(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    return this.calibration.estimate(messages, tools);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const response = await this.http.post('/embeddings', { model: this.config.name || this.model, input: texts }, signal);
    const data = (response.body as { data?: { index?: number; embedding?: unknown }[] } | undefined)?.data;
    if (!Array.isArray(data)) throw new ModelResponseError(`${this.traits.title} at ${this.location} answered /embeddings without data`, { transient: false });
    return [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => (Array.isArray(d.embedding) ? (d.embedding as number[]) : []));
  }

  /** The model's context window, tool support and where they came from; asked once (and again if it fails). */
  info(signal?: AbortSignal): Promise<ModelInfo> {
    this.infoPromise ??= this.readInfo(signal).catch((error: unknown) => {
      this.infoPromise = undefined;
      throw error;
    });
    return this.infoPromise;
  }

  async *chat(request: ChatRequest): AsyncIterable<ModelChunk> {
    const info = await withRetry(this.retry, () => this.info(request.signal), request);
    const tools = request.tools ?? [];
    if (request.toolChoice !== 'required' || !tools.length) return yield* this.attempts(request, info);
    // tool_choice is a wish some servers ignore: when no call came, ask once more, plainly.
    const first: ModelChunk[] = [];
    for await (const chunk of this.attempts(request, info)) first.push(chunk);
    if (first.some((c) => c.type === 'tool_call')) return yield* first;
    const said = first.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('');
    const names = tools.map((t) => t.name).join(', ');
    const messages: ChatMessage[] = [...request.messages, { role: 'assistant', content: said }, { role: 'user', content: `Call one of the tools now (${names}); do not answer in text.` }];
    yield* this.attempts({ ...request, messages }, info);
  }

  private attempts(request: ChatRequest, info: ModelInfo): AsyncIterable<ModelChunk> {
    return retryingStream(this.retry, request, (progress) => this.streamOnce(request, info, progress), (error) => {
      if (error instanceof ContextOverflowError) {
        // The loop shrinks the prompt and retries, against the window the server named.
        if (error.contextWindow && error.contextWindow < info.contextWindow) Object.assign(info, { contextWindow: error.contextWindow, contextSource: 'server' });
        return false;
      }
      return this.dropRefused(error, info);
    });
  }

  private async *streamOnce(request: ChatRequest, info: ModelInfo, progress: StreamProgress): AsyncIterable<ModelChunk> {
    const tools = request.tools ?? [];
    const native = tools.length === 0 || info.supportsTools;
    const reserve = Math.min(request.maxReplyTokens ?? this.config.max_tokens ?? 2048, Math.floor(info.contextWindow / 4));
    const room = Math.floor((info.contextWindow - reserve) / this.calibration.scale) - (native ? toolTokens(tools) : 0);
    const fitted = fitToContext(request.messages, Math.max(256, room)).messages;
    const messages = native ? fitted : toProtocolMessages(fitted, tools);
    const estimated = this.calibration.estimate(messages, native ? tools : []);
    const raw = Math.ceil(estimated / this.calibration.scale);
    const stream = await this.http.stream('/chat/completions', this.body(request, messages, tools, native), request.signal);
    const mode: ReplyMode = native ? { kind: 'native', tools: tools.map((t) => t.name) } : { kind: 'protocol' };
    const reader = new ReplyReader(mode);
    let ended = false;
    for await (const item of stream) {
      if (item.kind === 'done') {
        ended = true;
        break;
      }
      if (item.kind === 'error') throw streamFailure(item.text, this.http.context());
      const { chunks, error } = reader.read(item.data);
      if (error) throw streamFailure(error, this.http.context());
      for (const chunk of chunks) {
        progress.yielded = true;
        yield chunk;
      }
    }
    if (!ended && !reader.finishReason) {
      throw new ModelResponseError(`${this.traits.title} at ${this.location} closed the stream before the reply finished (the server may have crashed)`, { transient: true });
    }
    const { chunks, usage } = reader.finish(estimated);
    for (const chunk of chunks) yield chunk;
    progress.yielded = true;
    if (reader.usage.promptTokens) this.calibration.observe(raw, reader.usage.promptTokens);
    if (!this.rechecked && info.contextSource === 'default') void this.recheck(info);
    yield { type: 'done', usage, ...(reader.finishReason ? { doneReason: reader.finishReason } : {}) };
  }

  private body(request: ChatRequest, messages: ChatMessage[], tools: ToolSpec[], native: boolean): Record<string, unknown> {
    const { think } = this.config;
    const maxTokens = request.maxReplyTokens ?? this.config.max_tokens;
    const body: Record<string, unknown> = {
      model: this.model,
      messages: toWireMessages(messages),
      stream: true,
      stream_options: { include_usage: true },
      temperature: this.config.temperature,
      ...(maxTokens ? { max_tokens: maxTokens } : {}),
      ...(typeof think === 'boolean' ? { chat_template_kwargs: { enable_thinking: think } } : {}),
      ...(typeof think === 'string' ? { reasoning_effort: think } : {}),
    };
    if (native && tools.length) {
      body.tools = toWireTools(tools);
      body.tool_choice = request.toolChoice ?? 'auto';
      if (this.traits.parallelToolCalls) body.parallel_tool_calls = true;
    }
    if (!native) body.response_format = { type: 'json_schema', json_schema: { name: 'reply', schema: formatSchema(tools) } };
    for (const field of this.refused) delete body[field];
    return body;
  }

  /**
   * A 4xx naming a field the server does not take (stream_options on an old server, response_format, …) drops that
   * field; one refusing tools altogether switches the model to Rein's JSON protocol. True when a retry may work.
   */
  private dropRefused(error: unknown, info: ModelInfo): boolean {
    if (!(error instanceof ModelResponseError) || error.status === undefined || error.status < 400 || error.status === 401 || error.status === 403) return false;
    const message = error.message;
    if (info.supportsTools && /\btools?\b.*(not supported|unsupported|requires|does not support)|--jinja|enable-auto-tool-choice|does not support tools/i.test(message)) {
      info.supportsTools = false;
      return true;
    }
    const field = OPTIONAL_FIELDS.find((f) => !this.refused.has(f) && message.includes(f));
    if (!field) return false;
    this.refused.add(field);
    return true;
  }

  /** The server and its models, recognised once (a failure is asked again next time); `fresh` lists the models anew. */
  private server(signal: AbortSignal | undefined, fresh = false): Promise<Server> {
    if (fresh || !this.serverPromise) {
      const pending = (async (): Promise<Server> => {
        const response = await this.http.get('/models', signal);
        if (!this.detected) {
          this.flavor ??= await detectFlavor(this.http, response, signal);
          this.detected = true;
        }
        return { flavor: this.flavor, models: await enrichListings(this.http, this.flavor, listingsOf(response), signal) };
      })();
      this.serverPromise = pending;
      pending.catch(() => {
        if (this.serverPromise === pending) this.serverPromise = undefined;
      });
    }
    return this.serverPromise;
  }

  private async readInfo(signal?: AbortSignal): Promise<ModelInfo> {
    const { models } = await this.server(signal);
    const name = this.config.name || pickServed(models);
    if (!name) throw new ModelNotFoundError(`${this.traits.title} at ${this.location} serves no model — ${this.traits.addModel('a model')}, or set model.name`);
    if (!this.config.name) this.resolvedName = name;
    const facts = await probeModel(this.http, this.flavor, name, models.find((m) => m.name === name), signal);
    return this.toInfo(name, facts);
  }

  private toInfo(name: string, facts: ModelFacts): ModelInfo {
    const configured = this.config.num_ctx;
    const server = facts.contextWindow;
    const contextWindow = server && configured ? Math.min(server, configured) : (server ?? configured ?? Math.min(DEFAULT_CONTEXT_WINDOW, facts.maxContextLength ?? Infinity));
    const contextSource = server ? (configured && configured < server ? 'configured' : 'server') : configured ? 'configured' : 'default';
    const supportsTools = facts.tools ?? true;
    return {
      name,
      contextWindow,
      contextSource,
      ...(facts.maxContextLength ? { maxContextLength: facts.maxContextLength } : {}),
      capabilities: supportsTools ? ['completion', 'tools'] : ['completion'],
      supportsTools,
      ...(this.flavor ? { server: this.traits.title } : {}),
    };
  }

  /** After the first reply the model is loaded (LM Studio loads on demand): ask once more what it runs with. */
  private async recheck(info: ModelInfo): Promise<void> {
    this.rechecked = true;
    try {
      const listing = (await this.listModels()).find((m) => m.name === info.name);
      const facts = await probeModel(this.http, this.flavor, info.name, listing);
      if (facts.contextWindow) Object.assign(info, this.toInfo(info.name, facts), { supportsTools: info.supportsTools });
    } catch {
      // the assumed window stands (the user was told)
    }
  }
}

/** A chat model the server serves (not an embedding model), when none is configured. */
function pickServed(models: ModelListing[]): string | undefined {
  const chat = models.filter((m) => !/embed/i.test(m.name));
  return (chat.find((m) => m.loaded) ?? chat[0])?.name;
}
