// A scripted server speaking Anthropic's Messages API (SSE streaming, models, errors) on loopback, so tests drive the
// official @anthropic-ai/sdk client for real. It simulates the prompt cache: a request whose prefix up to a
// cache_control breakpoint was seen before reports those tokens as cache_read_input_tokens.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ScriptedAnthropicReply {
  content?: string;
  thinking?: string;
  /** `arguments` as an object is streamed as JSON in pieces; a string is streamed as is (malformed JSON too). */
  toolCalls?: { name: string; arguments: unknown; id?: string }[];
  /** Answer with this HTTP status and an Anthropic error body instead of a stream. */
  httpError?: { status: number; type: string; message: string };
  /** An `error` event inside the stream, after the content. */
  streamError?: { type: string; message: string };
  /** End the stream without message_stop. */
  truncate?: boolean;
  delayMs?: number;
  stopReason?: string;
}

export interface MessagesRequest {
  body: {
    model: string;
    max_tokens: number;
    temperature?: number;
    system?: { type: string; text: string; cache_control?: unknown }[];
    messages: { role: string; content: { type: string; text?: string; id?: string; name?: string; input?: unknown; tool_use_id?: string; content?: unknown; cache_control?: unknown }[] }[];
    tools?: { name: string; description: string; input_schema: unknown; cache_control?: unknown }[];
    stream?: boolean;
  };
  headers: http.IncomingHttpHeaders;
}

/** What the simulated cache saw for one request (tokens ≈ characters / 4). */
export interface CacheStats {
  inputTokens: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface ScriptedAnthropicOptions {
  replies?: ScriptedAnthropicReply[] | ((request: MessagesRequest['body'], index: number) => ScriptedAnthropicReply);
  models?: { id: string; maxInputTokens?: number }[];
  /** The key the server accepts (x-api-key or a bearer token); others get 401. Default: any key. */
  apiKey?: string;
  /** As Claude 5.x: a non-default temperature is HTTP 400. */
  refuseTemperature?: boolean;
  /** As with thinking on: the assistant turn before tool results must start with its signed thinking block. */
  requireThinkingEcho?: boolean;
}

export interface ScriptedAnthropic {
  url: string;
  requests: MessagesRequest[];
  cache: CacheStats[];
  close(): Promise<void>;
}

const tokens = (text: string) => Math.ceil(text.length / 4);

export async function startScriptedAnthropic(options: ScriptedAnthropicOptions = {}): Promise<ScriptedAnthropic> {
  const requests: MessagesRequest[] = [];
  const cache: CacheStats[] = [];
  const cachedPrefixes = new Set<string>();
  const models = options.models ?? [{ id: 'claude-sonnet-4-5', maxInputTokens: 200_000 }];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    void (async () => {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const url = new URL(req.url ?? '/', 'http://x');
      // SDK 1.x sends the key as a bearer token; older clients and curl send x-api-key.
      const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (options.apiKey && key !== options.apiKey) return error(res, 401, 'authentication_error', 'invalid x-api-key');
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        return json(res, 200, { data: models.map(modelInfo), has_more: false, first_id: models[0]?.id ?? null, last_id: models.at(-1)?.id ?? null });
      }
      const one = /^\/v1\/models\/(.+)$/.exec(url.pathname);
      if (req.method === 'GET' && one) {
        const model = models.find((m) => m.id === decodeURIComponent(one[1]!));
        return model ? json(res, 200, modelInfo(model)) : error(res, 404, 'not_found_error', `model: ${one[1]}`);
      }
      if (req.method !== 'POST' || url.pathname !== '/v1/messages') return error(res, 404, 'not_found_error', `${req.method} ${url.pathname}`);
      const body = JSON.parse(text) as MessagesRequest['body'];
      const index = requests.length;
      requests.push({ body, headers: req.headers });
      const invalid = validate(body, options);
      if (invalid) return error(res, 400, 'invalid_request_error', invalid);
      const stats = simulateCache(body, cachedPrefixes);
      cache.push(stats);
      const replies = options.replies ?? [{ content: 'Hello from Claude.' }];
      const reply = typeof replies === 'function' ? replies(body, index) : (replies[index] ?? replies.at(-1) ?? { content: '' });
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (reply.httpError) return error(res, reply.httpError.status, reply.httpError.type, reply.httpError.message);
      stream(res, body.model, reply, stats);
    })().catch((cause: unknown) => {
      if (!res.headersSent) error(res, 500, 'api_error', String(cause));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cache,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The checks the real API makes that Rein's requests could fail. */
function validate(body: MessagesRequest['body'], options: ScriptedAnthropicOptions): string | undefined {
  if (options.refuseTemperature && body.temperature !== undefined && body.temperature !== 1) return 'temperature is not supported for this model; omit it or use the default';
  if (body.messages[0]?.role !== 'user') return 'messages.0.role: the first message must use the "user" role';
  for (const [i, message] of body.messages.entries()) {
    if (i > 0 && body.messages[i - 1]!.role === message.role) return `messages.${i}: roles must alternate between "user" and "assistant"`;
    const previousUses = new Set(i > 0 ? body.messages[i - 1]!.content.filter((b) => b.type === 'tool_use').map((b) => b.id) : []);
    const orphan = message.content.find((b) => b.type === 'tool_result' && !previousUses.has(b.tool_use_id));
    if (orphan) return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${orphan.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    const uses = message.content.filter((b) => b.type === 'tool_use').map((b) => b.id);
    if (message.role !== 'assistant' || !uses.length) continue;
    const next = body.messages[i + 1];
    const answered = new Set(next?.content.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id));
    const missing = uses.filter((id) => !answered.has(id));
    if (missing.length) return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}`;
    const firstResult = next!.content.findIndex((b) => b.type === 'tool_result');
    if (next!.content.slice(0, firstResult).some((b) => b.type !== 'tool_result')) return `messages.${i + 1}: tool_result blocks must come first`;
    const last = i === body.messages.length - 2;
    const first = message.content[0] as { type: string; signature?: string };
    if (options.requireThinkingEcho && last && !(first.type === 'thinking' && first.signature === 'sig')) {
      return `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block`;
    }
  }
  return undefined;
}

function modelInfo(model: { id: string; maxInputTokens?: number }) {
  return { type: 'model', id: model.id, display_name: model.id, created_at: '2025-09-29T00:00:00Z', max_input_tokens: model.maxInputTokens ?? null };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_scripted' });
  res.end(JSON.stringify(body));
}

function error(res: http.ServerResponse, status: number, type: string, message: string): void {
  json(res, status, { type: 'error', error: { type, message } });
}

/** Writes the reply as the API streams it: message_start, content blocks with deltas and pings, message_delta, message_stop. */
function stream(res: http.ServerResponse, model: string, reply: ScriptedAnthropicReply, stats: CacheStats): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const usage = { input_tokens: stats.inputTokens, cache_creation_input_tokens: stats.cacheWrite, cache_read_input_tokens: stats.cacheRead, output_tokens: 1 };
  send('message_start', { type: 'message_start', message: { id: 'msg_scripted', type: 'message', role: 'assistant', content: [], model, stop_reason: null, stop_sequence: null, usage } });
  let index = 0;
  let output = 0;
  if (reply.thinking) {
    send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: reply.thinking } });
    send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'sig' } });
    send('content_block_stop', { type: 'content_block_stop', index: index++ });
    output += tokens(reply.thinking);
  }
  if (reply.content) {
    send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    send('ping', { type: 'ping' });
    for (const piece of reply.content.split(/(?<= )/)) send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    send('content_block_stop', { type: 'content_block_stop', index: index++ });
    output += tokens(reply.content);
  }
  for (const [n, call] of (reply.toolCalls ?? []).entries()) {
    send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id ?? `toolu_scripted_${n + 1}`, name: call.name, input: {} } });
    const text = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } });
    for (let at = 0; at < text.length; at += 7) send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: text.slice(at, at + 7) } });
    send('content_block_stop', { type: 'content_block_stop', index: index++ });
    output += tokens(text);
  }
  if (reply.streamError) {
    send('error', { type: 'error', error: reply.streamError });
    res.end();
    return;
  }
  if (reply.truncate) {
    res.end();
    return;
  }
  const stopReason = reply.stopReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');
  send('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { ...usage, output_tokens: output } });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

/**
 * Prompt caching as the API documents it: the prefix (tools, then system, then messages) up to each block with
 * cache_control is a cache entry; the longest entry seen before is read, the longest new one is written.
 */
function simulateCache(body: MessagesRequest['body'], cached: Set<string>): CacheStats {
  const parts: { text: string; breakpoint: boolean }[] = [
    ...(body.tools ?? []).map((tool) => ({ text: JSON.stringify({ ...tool, cache_control: undefined }), breakpoint: Boolean(tool.cache_control) })),
    ...(body.system ?? []).map((block) => ({ text: block.text, breakpoint: Boolean(block.cache_control) })),
    ...body.messages.flatMap((message) => message.content.map((block) => ({ text: `${message.role}:${JSON.stringify({ ...block, cache_control: undefined })}`, breakpoint: Boolean(block.cache_control) }))),
  ];
  const total = tokens(parts.map((p) => p.text).join(''));
  let prefix = '';
  let read = 0;
  let write = 0;
  for (const part of parts) {
    prefix += part.text;
    if (!part.breakpoint) continue;
    const key = createHash('sha256').update(prefix).digest('hex');
    if (cached.has(key)) read = tokens(prefix);
    else {
      cached.add(key);
      write = tokens(prefix);
    }
  }
  const written = Math.max(0, write - read);
  return { inputTokens: Math.max(0, total - read - written), cacheRead: read, cacheWrite: written };
}
