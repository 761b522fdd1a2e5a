// A scripted OpenAI-compatible server that answers as llama.cpp's llama-server, vLLM or LM Studio do — their model
// listings, context endpoints, error bodies and streaming quirks — so tests drive the real provider over loopback.
//   llama.cpp: `Server: llama.cpp`, owned_by llamacpp, /props (n_ctx per slot), a first delta `content: null`, each
//     call's whole arguments in one delta, one call per turn unless parallel_tool_calls, `: ping` keep-alives,
//     `data: [DONE]` without its blank line, usage in a last chunk with empty choices (cached tokens, timings);
//     `legacy` (2025 builds): the name repeated in every delta, failures as an `error: {…}` line at HTTP 200.
//   vLLM: owned_by vllm with max_model_len, ids only on the first delta, the name repeated in every delta (or an
//     empty name first), arguments in small fragments, `reasoning`, usage after an empty-choices chunk.
//   LM Studio: owned_by organization_owner, /api/v1/models and /api/v0/models, 9-digit ids, <think> inline, errors
//     as `{"error": "…"}` strings.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServerKind = 'llamacpp' | 'vllm' | 'lmstudio' | 'generic';

export interface ScriptedCall {
  name: string;
  /** Anything: an object is sent as JSON text (or as an object with `objectArguments`), a string as it is. */
  arguments: unknown;
}

export interface ScriptedReply {
  content?: string;
  reasoning?: string;
  toolCalls?: ScriptedCall[];
  promptTokens?: number;
  completionTokens?: number;
  cachedPromptTokens?: number;
  httpError?: { status: number; body: unknown };
  /** Refuse the prompt as too long (as this server words it), naming this window. */
  overflow?: { window: number };
  /** A failure after the stream started, as this server reports one. */
  streamError?: string;
  /** End the stream without a finish reason or [DONE]. */
  truncate?: boolean;
  delayMs?: number;
}

export interface ScriptedModelEntry {
  id: string;
  /** The context it runs with (llama.cpp n_ctx per slot, vLLM max_model_len, LM Studio's loaded context). */
  contextLength?: number;
  maxContextLength?: number;
  loaded?: boolean;
  trainedForTools?: boolean;
}

type Responder = ScriptedReply[] | ((request: ChatBody, index: number) => ScriptedReply);

export interface ScriptedOpenAiOptions {
  kind: ServerKind;
  models?: ScriptedModelEntry[];
  replies?: Responder;
  /** Requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** llama.cpp as built in 2025 (see above). */
  legacy?: boolean;
  /** vLLM's name deltas: repeated in every delta (default), once, or an empty name first. */
  names?: 'repeated' | 'once' | 'empty-first';
  /** The server refuses `tools` (llama-server without --jinja, vLLM without --enable-auto-tool-choice). */
  noTools?: boolean;
  /** LM Studio 0.3 (only /api/v0) instead of 0.4 (/api/v1 too). */
  lmstudio03?: boolean;
  /** Send arguments as a JSON object instead of text (servers that do). */
  objectArguments?: boolean;
  embeddingDimensions?: number;
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
  response_format?: { type: string; json_schema?: { schema?: unknown } };
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  temperature?: number;
  stream?: boolean;
}

const DEFAULT_MODELS: Record<ServerKind, ScriptedModelEntry[]> = {
  llamacpp: [{ id: 'qwen3-4b-q4_k_m.gguf', contextLength: 8192, maxContextLength: 40960 }],
  vllm: [{ id: 'Qwen/Qwen3-4B', contextLength: 32768 }],
  lmstudio: [
    { id: 'qwen/qwen3-4b', contextLength: 8192, maxContextLength: 40960, loaded: true, trainedForTools: true },
    { id: 'text-embedding-nomic-embed-text-v1.5' },
  ],
  generic: [{ id: 'local-model' }],
};

export class ScriptedOpenAi {
  readonly chatRequests: ChatBody[] = [];
  readonly requests: { method: string; path: string; auth?: string }[] = [];
  readonly models: ScriptedModelEntry[];
  url = '';
  private responder: Responder;
  private readonly options: ScriptedOpenAiOptions;
  private readonly server: http.Server;

  constructor(options: ScriptedOpenAiOptions) {
    this.options = options;
    this.models = options.models ?? DEFAULT_MODELS[options.kind];
    this.responder = options.replies ?? [];
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: ScriptedOpenAiOptions): Promise<ScriptedOpenAi> {
    const server = new ScriptedOpenAi(options);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    server.url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    return server;
  }

  /** The OpenAI base URL (…/v1). */
  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  script(replies: Responder): void {
    this.responder = replies;
    this.chatRequests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0]!;
    this.requests.push({ method: req.method ?? 'GET', path, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    if (this.options.kind === 'llamacpp') res.setHeader('Server', 'llama.cpp');
    if (this.options.kind === 'vllm') res.setHeader('Server', 'uvicorn');
    if (this.options.apiKey && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return json(res, 401, this.errorBody(401, 'Invalid API Key', 'authentication_error'));
    }
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const route = `${req.method} ${path}`;
    const kind = this.options.kind;
    if (route === 'GET /v1/models') return json(res, 200, this.modelList());
    if (route === 'GET /props' && kind === 'llamacpp') return json(res, 200, this.props());
    if (route === 'GET /health' && kind === 'llamacpp') return json(res, 200, { status: 'ok' });
    if (route === 'GET /api/v1/models' && kind === 'lmstudio' && !this.options.lmstudio03) return json(res, 200, this.lmStudioV1());
    if (route === 'GET /api/v0/models' && kind === 'lmstudio') return json(res, 200, { object: 'list', data: this.models.map((m) => this.lmStudioV0(m)) });
    if (path.startsWith('/api/v0/models/') && kind === 'lmstudio') {
      const found = this.models.find((m) => m.id === decodeURIComponent(path.slice('/api/v0/models/'.length)));
      return found ? json(res, 200, this.lmStudioV0(found)) : json(res, 404, { error: 'Model not found' });
    }
    if (route === 'POST /v1/embeddings') return this.embeddings(res, body as { model: string; input: string | string[] });
    if (route === 'POST /v1/chat/completions') return this.chat(res, body as ChatBody);
    return json(res, 404, this.errorBody(404, `File Not Found`, 'not_found_error'));
  }

  private errorBody(code: number, message: string, type: string): unknown {
    if (this.options.kind === 'lmstudio') return { error: message };
    if (this.options.kind === 'vllm') return { object: 'error', message, type: code === 404 ? 'NotFoundError' : 'BadRequestError', param: null, code };
    return { error: { code, message, type } };
  }

  private modelList(): unknown {
    const created = 1_760_000_000;
    switch (this.options.kind) {
      case 'llamacpp': {
        const m = this.models[0]!;
        return {
          models: [{ name: m.id, model: m.id, modified_at: '', size: '', digest: '', type: 'model', description: '', tags: [''], capabilities: ['completion'], parameters: '', details: { parent_model: '', format: 'gguf', family: '', families: [''], parameter_size: '', quantization_level: '' } }],
          object: 'list',
          data: [{ id: m.id, object: 'model', created, owned_by: 'llamacpp', meta: { vocab_type: 2, n_vocab: 151936, n_ctx_train: m.maxContextLength ?? 40960, n_embd: 2560, n_params: 4_022_468_096, size: 2_497_280_256 } }],
        };
      }
      case 'vllm':
        return { object: 'list', data: this.models.map((m) => ({ id: m.id, object: 'model', created, owned_by: 'vllm', root: m.id, parent: null, max_model_len: m.contextLength ?? 32768, permission: [{ id: 'modelperm-1', object: 'model_permission', created, allow_sampling: true, organization: '*', is_blocking: false }] })) };
      case 'lmstudio':
        return { data: this.models.map((m) => ({ id: m.id, object: 'model', owned_by: 'organization_owner' })), object: 'list' };
      default:
        return { object: 'list', data: this.models.map((m) => ({ id: m.id, object: 'model' })) };
    }
  }

  private props(): unknown {
    const m = this.models[0]!;
    return {
      default_generation_settings: { id: 0, id_task: -1, n_ctx: m.contextLength ?? 4096, speculative: false, is_processing: false, params: { n_predict: -1, temperature: 0.8 } },
      total_slots: 1,
      model_path: `/models/${m.id}`,
      chat_template: '{% for message in messages %}…{% endfor %}',
      chat_template_caps: { supports_tools: !this.options.noTools, supports_parallel_tool_calls: true, supports_system_role: true },
      modalities: { vision: false, audio: false },
      build_info: this.options.legacy ? 'b5481-d785f9c1' : 'b6912-8a4b6c2f',
    };
  }

  private lmStudioV1(): unknown {
    return {
      models: this.models.map((m) => ({
        type: /embed/.test(m.id) ? 'embedding' : 'llm',
        publisher: 'lmstudio-community',
        key: m.id,
        display_name: m.id,
        size_bytes: 2_500_000_000,
        params_string: '4B',
        loaded_instances: m.loaded ? [{ id: m.id, config: { context_length: m.contextLength ?? 4096 } }] : [],
        max_context_length: m.maxContextLength ?? 32768,
        format: 'gguf',
        ...(/embed/.test(m.id) ? {} : { capabilities: { vision: false, trained_for_tool_use: m.trainedForTools ?? false } }),
      })),
    };
  }

  private lmStudioV0(m: ScriptedModelEntry): unknown {
    return {
      id: m.id,
      object: 'model',
      type: /embed/.test(m.id) ? 'embeddings' : 'llm',
      publisher: 'lmstudio-community',
      arch: 'qwen3',
      compatibility_type: 'gguf',
      quantization: 'Q4_K_M',
      state: m.loaded ? 'loaded' : 'not-loaded',
      max_context_length: m.maxContextLength ?? 32768,
      ...(m.loaded ? { loaded_context_length: m.contextLength ?? 4096 } : {}),
      ...(m.trainedForTools ? { capabilities: ['tool_use'] } : {}),
    };
  }

  private embeddings(res: http.ServerResponse, body: { model: string; input: string | string[] }): void {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const dims = this.options.embeddingDimensions ?? 8;
    json(res, 200, { object: 'list', model: body.model, data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embed(text, dims) })), usage: { prompt_tokens: 0, total_tokens: 0 } });
  }

  private async chat(res: http.ServerResponse, body: ChatBody): Promise<void> {
    const kind = this.options.kind;
    const model = this.models.find((m) => m.id === body.model);
    if (!model && kind !== 'llamacpp') {
      this.chatRequests.push(body);
      if (kind === 'lmstudio') return json(res, 404, { error: { message: `Model "${body.model}" not found. Please specify a valid model.`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
      return json(res, 404, this.errorBody(404, `The model \`${body.model}\` does not exist.`, 'NotFoundError'));
    }
    const entry = model ?? this.models[0]!;
    if (body.tools?.length && this.options.noTools) {
      this.chatRequests.push(body);
      if (kind === 'vllm') return json(res, 400, this.errorBody(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', 'BadRequestError'));
      return json(res, 500, { error: { code: 500, message: 'tools param requires --jinja flag', type: 'server_error' } });
    }
    const prompt = tokens(JSON.stringify(body.messages) + (body.tools ? JSON.stringify(body.tools) : ''));
    const window = entry.contextLength ?? 4096;
    if (prompt + (kind === 'vllm' ? (body.max_tokens ?? 0) : 0) > window) {
      this.chatRequests.push(body);
      return this.overflow(res, prompt, window, body);
    }
    const reply = this.next(body);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.httpError) return json(res, reply.httpError.status, reply.httpError.body);
    if (reply.overflow) return this.overflow(res, reply.overflow.window + prompt, reply.overflow.window, body);
    new StreamWriter(res, kind, this.options, body, entry.id).write(reply, prompt);
  }

  private overflow(res: http.ServerResponse, prompt: number, window: number, body: ChatBody): void {
    switch (this.options.kind) {
      case 'llamacpp':
        if (this.options.legacy) {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.write(`error: ${JSON.stringify({ code: 400, message: 'the request exceeds the available context size. try increasing the context size or enable context shift', type: 'invalid_request_error' })}\n\n`);
          return void res.end('data: [DONE]\n\n');
        }
        return json(res, 400, { error: { code: 400, message: `request (${prompt} tokens) exceeds the available context size (${window} tokens), try increasing it`, type: 'exceed_context_size_error', n_prompt_tokens: prompt, n_ctx: window } });
      case 'vllm':
        return json(res, 400, this.errorBody(400, `This model's maximum context length is ${window} tokens. However, you requested ${prompt + (body.max_tokens ?? 0)} tokens (${prompt} in the messages, ${body.max_tokens ?? 0} in the completion). Please reduce the length of the messages or completion.`, 'BadRequestError'));
      case 'lmstudio':
        return json(res, 400, { error: `Trying to keep the first ${prompt} tokens when context the overflows. However, the model is loaded with context length of only ${window} tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input` });
      default:
        return json(res, 400, { error: { message: 'prompt is too long', type: 'invalid_request_error' } });
    }
  }

  private next(body: ChatBody): ScriptedReply {
    const index = this.chatRequests.length;
    this.chatRequests.push(body);
    if (typeof this.responder === 'function') return this.responder(body, index);
    return this.responder[index] ?? { content: 'Done.' };
  }
}

/** Writes one reply as the server streams it. */
class StreamWriter {
  private readonly id: string;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly res: http.ServerResponse;
  private readonly kind: ServerKind;
  private readonly options: ScriptedOpenAiOptions;
  private readonly body: ChatBody;
  private readonly model: string;

  constructor(res: http.ServerResponse, kind: ServerKind, options: ScriptedOpenAiOptions, body: ChatBody, model: string) {
    this.res = res;
    this.kind = kind;
    this.options = options;
    this.body = body;
    this.model = model;
    this.id = `chatcmpl-${Math.random().toString(36).slice(2, 12)}`;
  }

  write(reply: ScriptedReply, prompt: number): void {
    const { res, kind } = this;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const usageWanted = this.body.stream_options?.include_usage === true;
    this.chunk({ role: 'assistant', content: kind === 'llamacpp' ? null : '' });
    if (kind === 'llamacpp' && !this.options.legacy) res.write(':\n\n'); // keep-alive ping
    if (reply.reasoning) {
      if (kind === 'lmstudio') this.text(`<think>${reply.reasoning}</think>`);
      else this.chunk(kind === 'vllm' ? { reasoning: reply.reasoning } : { reasoning_content: reply.reasoning });
    }
    if (reply.content) this.text(reply.content);
    const calls = reply.toolCalls ?? [];
    // llama-server makes one call per turn unless the request allows parallel calls.
    const sent = kind === 'llamacpp' && this.body.parallel_tool_calls !== true ? calls.slice(0, 1) : calls;
    sent.forEach((call, index) => this.call(call, index));
    if (reply.streamError) {
      if (kind === 'llamacpp' && this.options.legacy) res.write(`error: ${JSON.stringify({ code: 500, message: reply.streamError, type: 'server_error' })}\n\n`);
      else res.write(`data: ${JSON.stringify({ error: { code: 500, message: reply.streamError, type: 'server_error' } })}\n\n`);
      return void res.end('data: [DONE]\n\n');
    }
    if (reply.truncate) return void res.end();
    const completion = reply.completionTokens ?? 5;
    const usage = { prompt_tokens: reply.promptTokens ?? prompt, completion_tokens: completion, total_tokens: (reply.promptTokens ?? prompt) + completion, ...(reply.cachedPromptTokens !== undefined ? { prompt_tokens_details: { cached_tokens: reply.cachedPromptTokens } } : {}) };
    const finish = sent.length ? 'tool_calls' : 'stop';
    const extra = kind === 'llamacpp' ? { timings: { cache_n: reply.cachedPromptTokens ?? 0, prompt_n: prompt - (reply.cachedPromptTokens ?? 0), predicted_n: completion } } : {};
    this.send({ choices: [{ index: 0, delta: kind === 'vllm' ? { content: '' } : {}, logprobs: null, finish_reason: finish }], ...extra, ...(usageWanted && kind === 'lmstudio' ? { usage } : {}) });
    if (usageWanted && kind !== 'lmstudio') this.send({ choices: [], usage });
    res.end(kind === 'llamacpp' ? 'data: [DONE]\n' : 'data: [DONE]\n\n');
  }

  private text(content: string): void {
    for (const piece of content.match(/\S+\s*|\s+/g) ?? [content]) this.chunk({ content: piece });
  }

  private call(call: ScriptedCall, index: number): void {
    const kind = this.kind;
    const args = this.options.objectArguments ? call.arguments : typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    const id = kind === 'lmstudio' ? String(100_000_000 + Math.floor(Math.random() * 899_999_999)) : kind === 'vllm' ? `chatcmpl-tool-${Math.random().toString(16).slice(2, 14)}` : Math.random().toString(36).slice(2, 34);
    if (kind === 'llamacpp') {
      if (this.options.legacy) {
        // 2025 builds: the whole name again with every delta, the id inside function.
        this.chunk({ tool_calls: [{ index, function: { name: call.name, id, arguments: '' } }] });
        for (const piece of fragments(String(args), 3)) this.chunk({ tool_calls: [{ index, function: { name: call.name, arguments: piece } }] });
        return;
      }
      this.chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] });
      this.chunk({ tool_calls: [{ index, function: { arguments: args } }] });
      return;
    }
    if (kind === 'vllm') {
      const names = this.options.names ?? 'repeated';
      if (names === 'empty-first') this.chunk({ tool_calls: [{ index, id, type: 'function', function: { name: '', arguments: '' } }] });
      this.chunk({ tool_calls: [{ index, ...(names === 'empty-first' ? {} : { id, type: 'function' }), function: { name: call.name } }] });
      if (typeof args !== 'string') return this.chunk({ tool_calls: [{ index, function: { ...(names === 'repeated' ? { name: call.name } : {}), arguments: args } }] });
      for (const piece of fragments(args, 4)) this.chunk({ tool_calls: [{ index, function: { ...(names === 'repeated' ? { name: call.name } : {}), arguments: piece } }] });
      return;
    }
    this.chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] });
    if (typeof args !== 'string') return this.chunk({ tool_calls: [{ index, type: 'function', function: { arguments: args } }] });
    for (const piece of fragments(args, 2)) this.chunk({ tool_calls: [{ index, type: 'function', function: { arguments: piece } }] });
  }

  private chunk(delta: Record<string, unknown>): void {
    this.send({ choices: [{ index: 0, delta, logprobs: null, finish_reason: null }], ...(this.kind === 'vllm' && this.body.stream_options?.include_usage ? { usage: null } : {}) });
  }

  private send(payload: Record<string, unknown>): void {
    const base = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, ...(this.kind !== 'vllm' ? { system_fingerprint: this.kind === 'lmstudio' ? this.model : 'b6912-8a4b6c2f' } : {}) };
    this.res.write(`data: ${JSON.stringify({ ...base, ...payload })}\n\n`);
  }
}

/** Splits text into pieces of about `size` characters (argument fragments). */
function fragments(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function embed(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const char of text.toLowerCase()) vector[char.charCodeAt(0) % dimensions]! += 1;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
