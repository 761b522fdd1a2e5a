import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelNotFoundError,
  ModelResponseError,
  ModelUnreachableError,
  OllamaProvider,
  type ChatRequest,
  type ModelChunk,
  type ModelClient,
} from '../../../src/runtime/model/index.ts';
import { parseConfig } from '../../../src/runtime/config/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';

const FAST_RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 10 };

function provider(host: string, model: Record<string, unknown> = {}): OllamaProvider {
  const config = parseConfig('', { env: {} }).model;
  return new OllamaProvider({ ...config, provider: 'ollama', name: 'qwen3:4b', base_url: host, ...model }, { retry: FAST_RETRY });
}

async function collect(client: ModelClient, request: ChatRequest): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const chunk of client.chat(request)) chunks.push(chunk);
  return chunks;
}

const tools = [{ name: 'add', description: 'Add', parameters: { type: 'object', properties: { a: { type: 'number' } } } }];
const hello = [{ role: 'user' as const, content: 'hello' }];

describe('Ollama provider', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({
      models: [
        { name: 'qwen3:4b', capabilities: ['completion', 'tools'], contextLength: 40960, family: 'qwen3' },
        { name: 'gemma:2b', capabilities: ['completion'], contextLength: 8192, family: 'gemma' },
        { name: 'tiny:1b', capabilities: ['completion', 'tools'], contextLength: 2048, family: 'llama' },
      ],
    });
  });
  afterAll(() => ollama.close());

  it('streams text deltas and reads prompt_eval_count / eval_count into usage', async () => {
    ollama.script([{ content: 'Hello there friend', promptEvalCount: 42, evalCount: 7 }]);
    const chunks = await collect(provider(ollama.url), { messages: hello });
    const texts = chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('Hello there friend');
    expect(chunks.at(-1)).toEqual({ type: 'done', usage: { promptTokens: 42, completionTokens: 7 }, doneReason: 'stop' });
  });

  it('always sends options.num_ctx: the configured value, else the model context length (capped)', async () => {
    ollama.script([{ content: 'a' }, { content: 'b' }, { content: 'c' }]);
    await collect(provider(ollama.url, { num_ctx: 4096 }), { messages: hello });
    await collect(provider(ollama.url), { messages: hello });
    await collect(provider(ollama.url, { name: 'gemma:2b' }), { messages: hello });
    expect(ollama.chatRequests.map((r) => r.options?.num_ctx)).toEqual([4096, 32768, 8192]);
    expect(ollama.chatRequests[0]?.options?.temperature).toBe(0.2);
  });

  it('uses native tools when /api/show lists the tools capability', async () => {
    ollama.script([{ toolCalls: [{ name: 'add', arguments: { a: 1 } }] }]);
    const chunks = await collect(provider(ollama.url), { messages: hello, tools });
    expect(ollama.chatRequests[0]?.tools?.map((t) => t.function.name)).toEqual(['add']);
    expect(ollama.chatRequests[0]?.format).toBeUndefined();
    expect(chunks).toContainEqual({ type: 'tool_call', call: { id: 'call_1', name: 'add', arguments: { a: 1 } } });
  });

  it('falls back to a JSON-schema format protocol for models without tool calling', async () => {
    ollama.script([
      { content: JSON.stringify({ action: 'add', arguments: { a: 2 } }) },
      { content: JSON.stringify({ action: 'answer', answer: 'It is 2.' }) },
    ]);
    const client = provider(ollama.url, { name: 'gemma:2b' });
    const first = await collect(client, { messages: hello, tools });
    const request = ollama.chatRequests[0]!;
    expect(request.tools).toBeUndefined();
    expect(request.format).toMatchObject({ properties: { action: { enum: ['answer', 'add'] } } });
    expect(request.messages[0]?.content).toContain('Reply with one JSON object');
    expect(first).toContainEqual({ type: 'tool_call', call: { id: 'call_1', name: 'add', arguments: { a: 2 } } });

    const second = await collect(client, {
      messages: [
        ...hello,
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'add', arguments: { a: 2 } }] },
        { role: 'tool', content: '2', toolName: 'add', callId: 'call_1' },
      ],
      tools,
    });
    expect(ollama.chatRequests[1]?.messages.at(-1)).toMatchObject({ role: 'user', content: 'Tool result (add):\n2' });
    expect(second).toContainEqual({ type: 'text', text: 'It is 2.' });
  });

  it('switches to the fallback protocol when the server rejects tools', async () => {
    ollama.script([
      { httpError: { status: 400, error: 'registry.ollama.ai/library/qwen3:4b does not support tools' } },
      { content: JSON.stringify({ action: 'answer', answer: 'fine' }) },
    ]);
    const chunks = await collect(provider(ollama.url), { messages: hello, tools });
    expect(ollama.chatRequests[1]?.format).toBeDefined();
    expect(chunks).toContainEqual({ type: 'text', text: 'fine' });
  });

  it('keeps the prompt below num_ctx by dropping the oldest turns, never the goal', async () => {
    ollama.script([{ content: 'ok' }]);
    const filler = 'x'.repeat(2000);
    const messages = [
      { role: 'system' as const, content: 'sys' },
      { role: 'user' as const, content: 'the goal' },
      ...Array.from({ length: 10 }, (_, i) => [
        { role: 'assistant' as const, content: `turn ${i}`, toolCalls: [{ id: `c${i}`, name: 'add', arguments: {} }] },
        { role: 'tool' as const, content: filler, toolName: 'add', callId: `c${i}` },
      ]).flat(),
    ];
    await collect(provider(ollama.url, { name: 'tiny:1b' }), { messages, tools });
    const sent = ollama.chatRequests[0]!.messages;
    const chars = sent.reduce((n, m) => n + m.content.length, 0);
    expect(chars / 4).toBeLessThan(2048);
    expect(sent[0]).toMatchObject({ role: 'system', content: 'sys' });
    expect(sent[1]).toMatchObject({ role: 'user', content: 'the goal' });
    expect(sent.at(-1)).toMatchObject({ role: 'tool' });
    // every tool result still follows its call
    sent.forEach((m, i) => {
      if (m.role === 'tool') expect(sent[i - 1]?.role === 'assistant' || sent[i - 1]?.role === 'tool').toBe(true);
    });
  });

  it('says how to start Ollama when nothing listens at the host', async () => {
    const client = new OllamaProvider({ ...parseConfig('', { env: {} }).model, provider: 'ollama', name: 'qwen3:4b', base_url: 'http://127.0.0.1:1' }, { retry: { retries: 0 } });
    const error = await collect(client, { messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnreachableError);
    expect((error as Error).message).toMatch(/Ollama is not reachable at http:\/\/127\.0\.0\.1:1 — start it with `ollama serve`/);
  });

  it('says which model to pull when it is missing', async () => {
    const error = await collect(provider(ollama.url, { name: 'mistral:7b' }), { messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toBe('model "mistral:7b" is not pulled — run `ollama pull mistral:7b`');
  });

  it('surfaces an error line inside the stream', async () => {
    ollama.script([{ content: 'partial answer', streamError: 'llama runner process has terminated' }]);
    const error = await collect(provider(ollama.url), { messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelResponseError);
    expect((error as Error).message).toContain('llama runner process has terminated');
  });

  it('retries transient failures with backoff and reports each retry', async () => {
    ollama.script([
      { httpError: { status: 503, error: 'server busy' } },
      { streamError: 'runner crashed' },
      { content: 'recovered' },
    ]);
    const retries: number[] = [];
    const chunks = await collect(provider(ollama.url), { messages: hello, onRetry: (n) => retries.push(n.attempt) });
    expect(retries).toEqual([1, 2]);
    expect(chunks).toContainEqual({ type: 'text', text: 'recovered' });
  });

  it('does not retry client errors', async () => {
    ollama.script([{ httpError: { status: 400, error: 'invalid options' } }, { content: 'never' }]);
    const error = await collect(provider(ollama.url), { messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelResponseError);
    expect((error as Error).message).toContain('HTTP 400: invalid options');
    expect(ollama.chatRequests).toHaveLength(1);
  });

  it('honours an AbortSignal while the model is silent', async () => {
    ollama.script([{ hang: true }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user stop')), 100);
    const error = await collect(provider(ollama.url), { messages: hello, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('user stop');
  });

  it('reports a stream that ends without done', async () => {
    ollama.script([{ content: 'half', truncate: true }]);
    const error = await collect(provider(ollama.url), { messages: hello }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('closed the stream before it finished');
  });

  it('lists models and reads capabilities and context length from /api/show', async () => {
    const client = provider(ollama.url);
    expect((await client.listModels()).map((m) => m.name)).toContain('qwen3:4b');
    expect(await client.info()).toMatchObject({ contextWindow: 32768, maxContextLength: 40960, supportsTools: true });
  });

  it('embeds texts through /api/embed', async () => {
    const vectors = await provider(ollama.url).embed(['alpha', 'beta']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(8);
  });
});

describe('thinking models', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('keeps reasoning apart from the answer, from the thinking field or inline <think> tags split across chunks', async () => {
    ollama.script([
      { thinking: 'field reasoning', content: 'Answer A' },
      { content: '<think>inline reasoning</think>Answer B', chunks: 7 },
    ]);
    const client = provider(ollama.url, { think: true });
    for (const [answer, reasoning] of [['Answer A', 'field reasoning'], ['Answer B', 'inline reasoning']]) {
      const chunks = await collect(client, { messages: hello });
      const text = (type: string) => chunks.filter((c) => c.type === type).map((c) => (c as { text: string }).text).join('');
      expect(text('text')).toBe(answer);
      expect(text('thinking')).toBe(reasoning);
    }
    expect((ollama.requests.find((r) => r.path === '/api/chat')?.body as { think?: unknown }).think).toBe(true);
  });
});
