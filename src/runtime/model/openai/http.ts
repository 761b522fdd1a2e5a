// HTTP to an OpenAI-compatible server: JSON requests with the Bearer key, and the chat stream as SSE items. Errors
// come out mapped (errors.ts); the response headers are kept for recognising the server.
import { readSse, type SseItem } from './sse.ts';
import { requestFailure, statusFailure, type ServerContext } from './errors.ts';

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export class OpenAiHttp {
  readonly baseUrl: string;
  /** The server's root (base_url without a trailing /v1): where LM Studio's, llama.cpp's and Ollama's own endpoints live. */
  readonly root: string;
  private readonly apiKey: string | undefined;
  /** Who to blame in errors and what the server serves (for a model it lacks). */
  context: () => ServerContext;
  models: () => Promise<string[]> = () => Promise.resolve([]);

  constructor(baseUrl: string, apiKey: string | undefined, context: () => ServerContext) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.root = this.baseUrl.replace(/\/v1$/, '');
    this.apiKey = apiKey;
    this.context = context;
  }

  private headers(json: boolean): Record<string, string> {
    return { Accept: json ? 'application/json' : 'text/event-stream', ...(json ? {} : { 'Content-Type': 'application/json' }), ...(this.apiKey ? { Authorization: `Bearer ${this.apiKey}` } : {}) };
  }

  /** GET under base_url (or the root with `root: true`); a non-2xx answer throws the mapped error. */
  async get(path: string, signal: AbortSignal | undefined, options: { root?: boolean } = {}): Promise<JsonResponse> {
    const response = await this.fetch(`${options.root ? this.root : this.baseUrl}${path}`, { method: 'GET', headers: this.headers(true), signal }, signal);
    return this.json(response, signal);
  }

  /** GET that never throws: undefined when the server does not answer 2xx with JSON (probing what it is). */
  async probe(path: string, signal: AbortSignal | undefined, options: { root?: boolean } = {}): Promise<JsonResponse | undefined> {
    try {
      return await this.get(path, signal, options);
    } catch {
      return undefined;
    }
  }

  async post(path: string, body: unknown, signal: AbortSignal | undefined): Promise<JsonResponse> {
    const init = { method: 'POST', headers: { ...this.headers(true), 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal };
    return this.json(await this.fetch(`${this.baseUrl}${path}`, init, signal), signal);
  }

  /** POST that answers with an event stream; a JSON answer (a server that ignored `stream`) comes as one data item. */
  async stream(path: string, body: unknown, signal: AbortSignal | undefined): Promise<AsyncIterable<SseItem>> {
    const response = await this.fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: this.headers(false), body: JSON.stringify(body), signal }, signal);
    if (!response.ok) throw await this.failure(response, signal);
    if (!response.body) return (async function* () {})();
    if (/application\/json/i.test(response.headers.get('content-type') ?? '')) {
      const text = await response.text();
      return (async function* (): AsyncIterable<SseItem> {
        yield { kind: 'data', data: text };
        yield { kind: 'done' };
      })();
    }
    return readSse(response.body);
  }

  private async fetch(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      throw requestFailure(error, { ...this.context(), signal });
    }
  }

  private async json(response: Response, signal: AbortSignal | undefined): Promise<JsonResponse> {
    if (!response.ok) throw await this.failure(response, signal);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw requestFailure(error, { ...this.context(), signal });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, headers: response.headers, body };
  }

  private async failure(response: Response, signal: AbortSignal | undefined): Promise<Error> {
    const text = await response.text().catch(() => '');
    return statusFailure(response.status, text, { ...this.context(), signal }, this.models);
  }
}
