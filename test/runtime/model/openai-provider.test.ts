// The openai_compatible provider against scripted llama.cpp, vLLM, LM Studio and plain servers: recognising the
// server, its context window, keys, missing models, printed tool calls, reasoning, usage and the JSON protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/runtime/config/index.ts';
import {
  ContextOverflowError,
  ModelNotFoundError,
  ModelResponseError,
  OpenAiCompatibleProvider,
  type ChatRequest,
  type ModelChunk,
} from '../../../src/runtime/model/index.ts';
import { Runtime } from '../../../src/runtime/index.ts';
import { ScriptedOpenAi, type ScriptedOpenAiOptions } from '../../support/scripted-openai.ts';
import { testConfig } from '../../support/fixtures.ts';

const FAST = { retries: 2, baseDelayMs: 5, maxDelayMs: 10 };
const tools = [{ name: 'add', description: 'Add', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } }];
const hello = [{ role: 'user' as const, content: 'hello' }];

let server: ScriptedOpenAi | undefined;
afterEach(() => server?.close());

async function start(options: ScriptedOpenAiOptions): Promise<ScriptedOpenAi> {
  server = await ScriptedOpenAi.start(options);
  return server;
}

function provider(url: string, model: Record<string, unknown> = {}): OpenAiCompatibleProvider {
  const base = parseConfig('', { env: {} }).model;
  return new OpenAiCompatibleProvider({ ...base, provider: 'openai_compatible', name: '', base_url: url, flavor: 'auto', ...model }, { retry: FAST });
}

async function collect(client: OpenAiCompatibleProvider, request: ChatRequest): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const chunk of client.chat(request)) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: ModelChunk[], type: 'text' | 'thinking' = 'text') => chunks.filter((c) => c.type === type).map((c) => (c as { text: string }).text).join('');
const callsOf = (chunks: ModelChunk[]) => chunks.flatMap((c) => (c.type === 'tool_call' ? [{ name: c.call.name, arguments: c.call.arguments }] : []));

describe('openai_compatible: the server and its context window', () => {
  it('llama.cpp: recognised by its listing, the window is /props n_ctx of a slot, the served model is used', async () => {
    const s = await start({ kind: 'llamacpp', models: [{ id: 'qwen3-4b.gguf', contextLength: 6144, maxContextLength: 40960 }] });
    const client = provider(s.baseUrl);
    const info = await client.info();
    expect(info).toMatchObject({ name: 'qwen3-4b.gguf', contextWindow: 6144, contextSource: 'server', supportsTools: true, server: 'llama.cpp (llama-server)' });
    expect(client.model).toBe('qwen3-4b.gguf');
    expect(s.requests.map((r) => r.path)).toContain('/props');
  });

  it('vLLM: max_model_len of the configured model', async () => {
    const s = await start({ kind: 'vllm', models: [{ id: 'Qwen/Qwen3-4B', contextLength: 16384 }, { id: 'other', contextLength: 2048 }] });
    expect(await provider(s.baseUrl, { name: 'Qwen/Qwen3-4B' }).info()).toMatchObject({ contextWindow: 16384, contextSource: 'server', server: 'vLLM' });
  });

  it("LM Studio: the loaded instance's context from /api/v1/models (0.4), or /api/v0 (0.3)", async () => {
    const s = await start({ kind: 'lmstudio', models: [{ id: 'qwen/qwen3-4b', contextLength: 12000, maxContextLength: 40960, loaded: true, trainedForTools: true }] });
    expect(await provider(s.baseUrl, { name: 'qwen/qwen3-4b' }).info()).toMatchObject({ contextWindow: 12000, maxContextLength: 40960, contextSource: 'server', supportsTools: true, server: 'LM Studio' });
    await s.close();
    const old = await start({ kind: 'lmstudio', lmstudio03: true, models: [{ id: 'qwen/qwen3-4b', contextLength: 5000, maxContextLength: 40960, loaded: true, trainedForTools: true }] });
    expect(await provider(old.baseUrl, { name: 'qwen/qwen3-4b' }).info()).toMatchObject({ contextWindow: 5000, contextSource: 'server' });
  });

  it("LM Studio's listing says which model is loaded, its context and tool training; with no name the loaded one is used", async () => {
    const s = await start({ kind: 'lmstudio', models: [{ id: 'google/gemma-3-4b', maxContextLength: 131072 }, { id: 'qwen/qwen3-4b', contextLength: 16000, loaded: true, trainedForTools: true }] });
    const client = provider(s.baseUrl);
    expect(await client.listModels()).toEqual([
      { name: 'google/gemma-3-4b', tools: false, loaded: false },
      { name: 'qwen/qwen3-4b', contextWindow: 16000, tools: true, loaded: true },
    ]);
    expect(await client.info()).toMatchObject({ name: 'qwen/qwen3-4b', contextWindow: 16000 });
  });

  it('num_ctx below what the server runs with wins (configured); above it, the server does', async () => {
    const s = await start({ kind: 'llamacpp' });
    expect(await provider(s.baseUrl, { num_ctx: 4096 }).info()).toMatchObject({ contextWindow: 4096, contextSource: 'configured' });
    expect(await provider(s.baseUrl, { num_ctx: 65536 }).info()).toMatchObject({ contextWindow: 8192, contextSource: 'server' });
  });

  it('a server that does not say: num_ctx, else the default — and one notice per client, not per run', async () => {
    const s = await start({ kind: 'generic' });
    expect(await provider(s.baseUrl, { num_ctx: 16384 }).info()).toMatchObject({ contextWindow: 16384, contextSource: 'configured' });
    const client = provider(s.baseUrl);
    expect(await client.info()).toMatchObject({ contextWindow: 4096, contextSource: 'default' });
    const runtime = new Runtime({ config: testConfig('', 'http://127.0.0.1:9'), model: client, trace: false, extensions: [] });
    try {
      const notices = [];
      for (const goal of ['one', 'two']) {
        const run = runtime.startRun(goal);
        await run.result;
        notices.push(...run.events.events().filter((e) => e.type === 'run.notice' && e.source === 'model'));
      }
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(/does not report the context window of local-model: Rein assumes 4096 tokens — set model\.num_ctx/) });
    } finally {
      await runtime.close();
    }
  });
});

describe('openai_compatible: errors that say what to do', () => {
  it('401 without a key names model.api_key (and, for Jan, where its key is)', async () => {
    const s = await start({ kind: 'generic', apiKey: 'secret' });
    const error = await provider(s.baseUrl, { flavor: 'jan' }).info().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelResponseError);
    expect((error as Error).message).toMatch(/Jan at .* needs an API key \(HTTP 401.*Settings → Local API Server.*rein secrets set jan/);
    const wrong = await provider(s.baseUrl, { api_key: 'nope' }).info().catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/refused the API key .*check model\.api_key/);
    expect(await provider(s.baseUrl, { api_key: 'secret' }).info()).toMatchObject({ name: 'local-model' });
    expect(s.requests.at(-1)?.auth).toBe('Bearer secret');
  });

  it('a model the server does not have: ModelNotFoundError listing what it serves, with how to add it', async () => {
    const s = await start({ kind: 'lmstudio' });
    const error = await collect(provider(s.baseUrl, { name: 'qwen2.5-7b' }), { messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toMatch(/model "qwen2\.5-7b" is not available on LM Studio .*it serves: qwen\/qwen3-4b, text-embedding-nomic-embed-text-v1\.5.*lms get qwen2\.5-7b/);
  });

  it('overflow in each server\'s words, with the window it names', async () => {
    for (const kind of ['llamacpp', 'vllm', 'lmstudio'] as const) {
      const s = await start({ kind, replies: [{ overflow: { window: 3000 } }] });
      const error = await collect(provider(s.baseUrl), { messages: hello }).catch((e: unknown) => e);
      expect(error, kind).toBeInstanceOf(ContextOverflowError);
      expect((error as ContextOverflowError).contextWindow, kind).toBe(3000);
      await s.close();
    }
  });

  it('an error inside the stream (data: {error}) and a stream cut short', async () => {
    const s = await start({ kind: 'vllm', replies: [{ content: 'partial', streamError: 'CUDA out of memory' }] });
    const error = await collect(provider(s.baseUrl), { messages: hello }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/vLLM at .* reported an error during generation: CUDA out of memory/);
    s.script([{ truncate: true }, { content: 'second try' }]);
    const retried = await collect(provider(s.baseUrl), { messages: hello });
    expect(textOf(retried)).toBe('second try');
  });
});

describe('openai_compatible: replies', () => {
  it('usage and cached prompt tokens from the last chunk; parallel_tool_calls only where it matters (llama.cpp)', async () => {
    const s = await start({ kind: 'llamacpp', replies: [{ content: 'hi', promptTokens: 120, completionTokens: 3, cachedPromptTokens: 100 }] });
    const chunks = await collect(provider(s.baseUrl), { messages: hello, tools });
    expect(chunks.at(-1)).toEqual({ type: 'done', usage: { promptTokens: 120, completionTokens: 3, cachedPromptTokens: 100 }, doneReason: 'stop' });
    expect(s.chatRequests[0]).toMatchObject({ stream_options: { include_usage: true }, parallel_tool_calls: true, tool_choice: 'auto' });
    await s.close();
    const lm = await start({ kind: 'lmstudio' });
    await collect(provider(lm.baseUrl), { messages: hello, tools });
    expect(lm.chatRequests[0]?.parallel_tool_calls).toBeUndefined();
  });

  it('reasoning: reasoning_content (llama.cpp), reasoning (vLLM) and inline <think> (LM Studio) become thinking', async () => {
    for (const kind of ['llamacpp', 'vllm', 'lmstudio'] as const) {
      const s = await start({ kind, replies: [{ reasoning: 'Let me think.', content: 'Answer.' }] });
      const chunks = await collect(provider(s.baseUrl), { messages: hello });
      expect(textOf(chunks, 'thinking'), kind).toBe('Let me think.');
      expect(textOf(chunks), kind).toBe('Answer.');
      await s.close();
    }
  });

  it('arguments sent as an object (not text) are taken as they are', async () => {
    const s = await start({ kind: 'generic', objectArguments: true, replies: [{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }] });
    expect(callsOf(await collect(provider(s.baseUrl), { messages: hello, tools }))).toEqual([{ name: 'add', arguments: { a: 1, b: 2 } }]);
  });

  it('printed calls: <tool_call> tags and bare JSON naming a tool become calls; JSON that names none stays text', async () => {
    const s = await start({
      kind: 'lmstudio',
      replies: [
        { content: 'Let me add. <tool_call>\n{"name": "add", "arguments": {"a": 2, "b": 3}}\n</tool_call>' },
        { content: '{"name": "add", "arguments": {"a": 7, "b": 1}}' },
        { content: '{"answer": 42}' },
      ],
    });
    const client = provider(s.baseUrl);
    const tagged = await collect(client, { messages: hello, tools });
    expect(callsOf(tagged)).toEqual([{ name: 'add', arguments: { a: 2, b: 3 } }]);
    expect(textOf(tagged)).toBe('Let me add. ');
    expect(callsOf(await collect(client, { messages: hello, tools }))).toEqual([{ name: 'add', arguments: { a: 7, b: 1 } }]);
    const plain = await collect(client, { messages: hello, tools });
    expect(callsOf(plain)).toEqual([]);
    expect(textOf(plain)).toBe('{"answer": 42}');
  });

  it('a server that refuses tools (llama-server without --jinja, vLLM without auto tool choice): the JSON protocol via response_format', async () => {
    for (const kind of ['llamacpp', 'vllm'] as const) {
      const s = await start({ kind, noTools: true, replies: (body) => (body.tools ? { content: 'unused' } : { content: JSON.stringify({ action: 'add', arguments: { a: 2, b: 2 } }) }) });
      const chunks = await collect(provider(s.baseUrl), { messages: hello, tools });
      expect(callsOf(chunks), kind).toEqual([{ name: 'add', arguments: { a: 2, b: 2 } }]);
      const last = s.chatRequests.at(-1)!;
      expect(last.tools, kind).toBeUndefined();
      expect(last.response_format, kind).toMatchObject({ type: 'json_schema', json_schema: { schema: { properties: { action: { enum: ['answer', 'add'] } } } } });
      await s.close();
    }
  });

  it('tool_choice required is best effort: a reply without a call is asked again once', async () => {
    const s = await start({ kind: 'vllm', replies: [{ content: 'I would add them.' }, { toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] }] });
    const chunks = await collect(provider(s.baseUrl), { messages: hello, tools, toolChoice: 'required' });
    expect(callsOf(chunks)).toEqual([{ name: 'add', arguments: { a: 1, b: 1 } }]);
    expect(textOf(chunks)).toBe('');
    expect(s.chatRequests[1]?.messages.at(-1)?.content).toMatch(/Call one of the tools now \(add\)/);
  });

  it('tool results go back with the call ids every template takes (9 letters and digits)', async () => {
    const s = await start({ kind: 'vllm' });
    await collect(provider(s.baseUrl), {
      messages: [...hello, { role: 'assistant', content: '', toolCalls: [{ id: 's1_call_1', name: 'add', arguments: { a: 1 } }] }, { role: 'tool', content: '2', toolName: 'add', callId: 's1_call_1' }],
    });
    const [, assistant, tool] = s.chatRequests[0]!.messages;
    expect(assistant?.tool_calls?.[0]?.id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(tool?.tool_call_id).toBe(assistant?.tool_calls?.[0]?.id);
    expect(assistant?.tool_calls?.[0]?.function.arguments).toBe('{"a":1}');
  });

  it('embeddings through /v1/embeddings, in input order', async () => {
    const s = await start({ kind: 'lmstudio', embeddingDimensions: 4 });
    const vectors = await provider(s.baseUrl, { name: 'text-embedding-nomic-embed-text-v1.5' }).embed(['a', 'bb']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(4);
  });
});
