// A scripted server speaking the Ollama HTTP protocol, so tests drive the real `ollama` client over loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  name: string;
  /** Anything: tests send objects, JSON strings and junk to exercise repair. */
  arguments: unknown;
}

export interface ScriptedReply {
  content?: string;
  thinking?: string;
  toolCalls?: ScriptedToolCall[];
  /** Split content into this many deltas (default: one per word). */
  chunks?: number;
  promptEvalCount?: number;
  evalCount?: number;
  /** Answer with this HTTP status and {"error": message} instead of a stream. */
  httpError?: { status: number; error: string };
  /** Send this error line inside the stream (after any content). */
  streamError?: string;
  /** End the stream without a done line. */
  truncate?: boolean;
  /** Wait before answering; `hang` never answers (until the client goes away). */
  delayMs?: number;
  hang?: boolean;
  /** Answer only once this settles (a test's barrier, e.g. "until a second client asks"). */
  waitFor?: Promise<unknown>;
}

export interface ScriptedModel {
  name: string;
  capabilities?: string[];
  contextLength?: number;
  family?: string;
  /** Embedding size of this model (default: the server's embeddingDimensions). */
  embeddingDimensions?: number;
  /** `words`: hashed bag of words (similar texts get similar vectors); default `letters`: bag of letters. */
  embedding?: 'letters' | 'words';
}

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string; tool_calls?: unknown[]; tool_name?: string }[];
  tools?: { function: { name: string } }[];
  format?: unknown;
  options?: { num_ctx?: number; temperature?: number; num_predict?: number };
  stream?: boolean;
  truncate?: boolean;
  shift?: boolean;
}

/** What the simulated prefix cache saw for one chat request (tokens ≈ characters / 4 of the rendered prompt). */
export interface PromptStats {
  /** Index of the request in chatRequests. */
  request: number;
  /** Tokens of the whole prompt as sent (tools rendered at the top, then the messages). */
  promptTokens: number;
  /** Tokens evaluated after the longest common prefix with the previous prompt (what prompt_eval_count reports). */
  evaluatedTokens: number;
  /** The context the model is loaded with for this request. */
  contextLength: number;
  /** The server cut the prompt to fit (truncate not false). */
  truncated: boolean;
}

type Responder = ScriptedReply[] | ((request: ChatRequestBody, index: number) => ScriptedReply);

export interface ScriptedOllamaOptions {
  models?: ScriptedModel[];
  replies?: Responder;
  embeddingDimensions?: number;
  /** Models /api/pull installs with these details (others are installed as plain completion models). */
  pullable?: ScriptedModel[];
  /**
   * Simulate llama.cpp's prompt cache: prompt_eval_count counts only the tokens after the longest common prefix with
   * what the slot holds — the previous prompt and the reply generated for it, as the next prompt renders that reply
   * (unless a reply sets promptEvalCount); prompts over the loaded context are cut from the oldest messages, or refused
   * with HTTP 400 when the request says `truncate: false`.
   */
  prefixCache?: boolean;
  /** The most context the server will load a model with (e.g. OLLAMA_CONTEXT_LENGTH or memory); /api/ps reports it. */
  maxLoadedContext?: number;
  /** /api/ps leaves out context_length (servers before it was reported). Default: reported. */
  hideLoadedContext?: boolean;
  /** Loading the model takes this long: the first chat request waits for it, and /api/ps lists the model only after. */
  loadMs?: number;
}

/** The request of a goal message, without the run's context before it (recalled notes, skills: "## Request"). */
export function requestText(content: string): string {
  return content.split('\n## Request\n').at(-1)!;
}

export const DEFAULT_MODEL: ScriptedModel = { name: 'qwen3:4b', capabilities: ['completion', 'tools'], contextLength: 40960, family: 'qwen3' };

/** How Rein's conversation-title request begins (src/runtime/api/conversation-titles.ts). */
const TITLE_REQUEST = 'You name conversations.';

export class ScriptedOllama {
  readonly chatRequests: ChatRequestBody[] = [];
  /** Conversation-title requests (answered "Chat: <the request>", apart from the script and chatRequests). */
  readonly titleRequests: ChatRequestBody[] = [];
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  /** One entry per chat request when prefixCache is on. */
  readonly promptStats: PromptStats[] = [];
  /** Hanging requests whose client went away (cancelled). */
  abandoned = 0;
  private readonly prefixCache: boolean;
  private readonly maxLoadedContext: number | undefined;
  private readonly hideLoadedContext: boolean;
  private cachedPrompt = '';
  private loaded: { model: ScriptedModel; contextLength: number } | undefined;
  private readonly loadMs: number;
  /** Set while the model is being loaded into memory (loadMs). */
  private loading: Promise<void> | undefined;
  private readonly server: http.Server;
  private readonly models: ScriptedModel[];
  private responder: Responder;
  private readonly dimensions: number;
  private readonly pullable: ScriptedModel[];
  url = '';

  constructor(options: ScriptedOllamaOptions = {}) {
    this.models = options.models ?? [DEFAULT_MODEL];
    this.responder = options.replies ?? [];
    this.dimensions = options.embeddingDimensions ?? 8;
    this.pullable = options.pullable ?? [];
    this.prefixCache = options.prefixCache ?? false;
    this.maxLoadedContext = options.maxLoadedContext;
    this.hideLoadedContext = options.hideLoadedContext ?? false;
    this.loadMs = options.loadMs ?? 0;
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: ScriptedOllamaOptions = {}): Promise<ScriptedOllama> {
    const server = new ScriptedOllama(options);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    server.url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    return server;
  }

  /** Replace the script (e.g. between tests sharing one server). */
  script(replies: Responder): void {
    this.responder = replies;
    this.chatRequests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The model leaves memory (Ollama's keep_alive ran out): the next chat request loads it again (loadMs). */
  unload(): void {
    this.loaded = undefined;
  }

  /** The server goes down: connections are refused until up(). */
  down(): Promise<void> {
    return this.close();
  }

  /** Back on the same port. */
  async up(): Promise<void> {
    const port = Number(new URL(this.url).port);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => { this.server.off('error', reject); resolve(); });
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const path = (req.url ?? '').split('?')[0]!;
    this.requests.push({ method: req.method ?? 'GET', path, body });
    const model = this.findModel(body);
    switch (`${req.method} ${path}`) {
      case 'GET /api/version':
        return json(res, 200, { version: '0.12.0-scripted' });
      case 'GET /api/ps':
        return json(res, 200, { models: this.loaded ? [psEntry(this.loaded.model, this.hideLoadedContext ? undefined : this.loaded.contextLength)] : [] });
      case 'GET /api/tags':
        return json(res, 200, { models: this.models.map((m) => ({ name: m.name, model: m.name, size: 1000, digest: 'x', details: { parameter_size: '4B', family: m.family ?? 'llama' } })) });
      case 'POST /api/show':
        if (!model) return notFound(res, body);
        return json(res, 200, showResponse(model));
      case 'POST /api/embed':
        if (!model) return notFound(res, body);
        return json(res, 200, { model: model.name, embeddings: inputs(body).map((text) => embed(text, model.embeddingDimensions ?? this.dimensions, model.embedding)) });
      case 'POST /api/pull':
        return this.pull(res, body);
      case 'POST /api/chat':
        if (!model) return notFound(res, body);
        return this.chat(req, res, body as ChatRequestBody);
      default:
        return json(res, 404, { error: `no route ${req.method} ${path}` });
    }
  }

  private findModel(body: unknown): ScriptedModel | undefined {
    const name = (body as { model?: string } | undefined)?.model;
    if (!name) return undefined;
    const full = name.includes(':') ? name : `${name}:latest`;
    return this.models.find((m) => m.name === name || m.name === full);
  }

  private nextReply(body: ChatRequestBody): ScriptedReply {
    const index = this.chatRequests.length;
    this.chatRequests.push(body);
    if (typeof this.responder === 'function') return this.responder(body, index);
    return this.responder[index] ?? { content: 'Done.' };
  }

  private async chat(req: http.IncomingMessage, res: http.ServerResponse, body: ChatRequestBody): Promise<void> {
    const model = this.findModel(body)!;
    // Rein titles a conversation after its first answer, when no run is going: answered apart from the script.
    if (body.messages[0]?.role === 'system' && body.messages[0].content.startsWith(TITLE_REQUEST)) {
      this.titleRequests.push(body);
      const request = /^Request: (.*)$/m.exec(body.messages[1]?.content ?? '')?.[1] ?? '';
      const title = `Chat: ${request.slice(0, 48)}`;
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ model: body.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: `"${title}".` }, done: false })}\n`);
      res.end(`${JSON.stringify({ model: body.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 40, eval_count: 6 })}\n`);
      return;
    }
    const contextLength = Math.min(body.options?.num_ctx ?? 4096, this.maxLoadedContext ?? Infinity);
    if (this.loadMs && !this.loaded) {
      this.loading ??= new Promise<void>((resolve) => setTimeout(resolve, this.loadMs)).finally(() => { this.loading = undefined; });
      await this.loading;
    }
    this.loaded = { model, contextLength };
    let evaluated: number | undefined;
    if (this.prefixCache) {
      const prompt = render(body);
      const promptTokens = tokens(prompt);
      let fitted = prompt;
      if (promptTokens > contextLength) {
        if (body.truncate === false) {
          this.chatRequests.push(body);
          return json(res, 400, { error: `the input length (${promptTokens} tokens) exceeds the context length (${contextLength} tokens)` });
        }
        fitted = render(body, cutToFit(body, contextLength));
      }
      const common = commonPrefix(this.cachedPrompt, fitted);
      this.cachedPrompt = fitted;
      evaluated = tokens(fitted) - Math.floor(common / CHARS_PER_TOKEN);
      this.promptStats.push({ request: this.chatRequests.length, promptTokens, evaluatedTokens: evaluated, contextLength, truncated: fitted !== prompt });
    }
    const reply = this.nextReply(body);
    // The slot also holds the tokens it generated: a next prompt that renders this reply the same way reuses them.
    if (this.prefixCache) {
      const calls = reply.toolCalls?.map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
      this.cachedPrompt += render({ model: body.model, messages: [{ role: 'assistant', content: reply.content ?? '', ...(calls?.length ? { tool_calls: calls } : {}) }] });
    }
    if (reply.hang) {
      res.once('close', () => this.abandoned++); // the client went away before an answer
      return void req.on('close', () => res.destroy());
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.waitFor) await reply.waitFor.catch(() => undefined);
    if (reply.httpError) return json(res, reply.httpError.status, { error: reply.httpError.error });
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    const line = (value: unknown) => res.write(`${JSON.stringify(value)}\n`);
    const base = { model: body.model, created_at: new Date().toISOString() };
    if (reply.thinking) line({ ...base, message: { role: 'assistant', content: '', thinking: reply.thinking }, done: false });
    for (const piece of split(reply.content ?? '', reply.chunks)) {
      line({ ...base, message: { role: 'assistant', content: piece }, done: false });
    }
    if (reply.toolCalls?.length) {
      const calls = reply.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
      line({ ...base, message: { role: 'assistant', content: '', tool_calls: calls }, done: false });
    }
    if (reply.streamError) {
      line({ error: reply.streamError });
      return void res.end();
    }
    if (reply.truncate) return void res.end();
    line({
      ...base,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 1_000_000,
      prompt_eval_count: reply.promptEvalCount ?? evaluated ?? 10,
      eval_count: reply.evalCount ?? 5,
    });
    res.end();
  }

  private pull(res: http.ServerResponse, body: unknown): void {
    // ollama-js sends the legacy `name` field; Ollama accepts both.
    const name = (body as { model?: string; name?: string }).model ?? (body as { name?: string }).name ?? '';
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    for (const status of ['pulling manifest', 'downloading', 'verifying sha256 digest', 'success']) {
      res.write(`${JSON.stringify({ status, digest: 'sha256:x', total: 100, completed: status === 'downloading' ? 50 : 100 })}\n`);
    }
    if (!this.models.some((m) => m.name === name)) this.models.push(this.pullable.find((m) => m.name === name) ?? { name, capabilities: ['completion'] });
    res.end();
  }
}

const CHARS_PER_TOKEN = 4;

function tokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Like a chat template: the tool list at the very top, then each message. */
function render(body: ChatRequestBody, messages = body.messages): string {
  const tools = body.tools?.length ? `<tools>${JSON.stringify(body.tools)}</tools>\n` : '';
  return tools + messages.map((m) => `<|${m.role}|>${m.content}${m.tool_calls?.length ? JSON.stringify(m.tool_calls) : ''}\n`).join('');
}

/** What Ollama does with truncate on: keep the system messages and drop the oldest others until the prompt fits. */
function cutToFit(body: ChatRequestBody, contextLength: number): ChatRequestBody['messages'] {
  const messages = [...body.messages];
  while (tokens(render(body, messages)) > contextLength) {
    const oldest = messages.findIndex((m) => m.role !== 'system');
    if (oldest < 0 || oldest === messages.length - 1) break;
    messages.splice(oldest, 1);
  }
  return messages;
}

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function psEntry(model: ScriptedModel, contextLength: number | undefined) {
  const family = model.family ?? 'llama';
  const expires = new Date(Date.now() + 300_000).toISOString();
  return { name: model.name, model: model.name, size: 1000, digest: 'x', details: { family, format: 'gguf', parameter_size: '4B', quantization_level: 'Q4_K_M' }, expires_at: expires, size_vram: 1000, ...(contextLength ? { context_length: contextLength } : {}) };
}

function showResponse(model: ScriptedModel) {
  const family = model.family ?? 'llama';
  return {
    license: '',
    modelfile: '',
    parameters: '',
    template: model.capabilities?.includes('tools') ? '{{ if .Tools }}tools{{ end }}' : '{{ .Prompt }}',
    details: { family, format: 'gguf', parameter_size: '4B', quantization_level: 'Q4_K_M' },
    model_info: {
      'general.architecture': family,
      ...(model.contextLength ? { [`${family}.context_length`]: model.contextLength } : {}),
    },
    capabilities: model.capabilities ?? ['completion'],
  };
}

function split(content: string, chunks?: number): string[] {
  if (!content) return [];
  if (!chunks) return content.match(/\S+\s*|\s+/g) ?? [content];
  const size = Math.ceil(content.length / chunks);
  return Array.from({ length: Math.ceil(content.length / size) }, (_, i) => content.slice(i * size, (i + 1) * size));
}

function inputs(body: unknown): string[] {
  const input = (body as { input?: string | string[] }).input ?? [];
  return Array.isArray(input) ? input : [input];
}

/** Deterministic bag-of-letters (or hashed bag-of-words) embedding, normalized. */
function embed(text: string, dimensions: number, kind: 'letters' | 'words' = 'letters'): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  if (kind === 'letters') for (const char of text.toLowerCase()) vector[char.charCodeAt(0) % dimensions]! += 1;
  else for (const word of text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []) vector[hash(word.slice(0, 5)) % dimensions]! += 1;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619) >>> 0;
  return h;
}

function notFound(res: http.ServerResponse, body: unknown): void {
  const name = (body as { model?: string } | undefined)?.model ?? '';
  json(res, 404, { error: `model '${name}' not found` });
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
