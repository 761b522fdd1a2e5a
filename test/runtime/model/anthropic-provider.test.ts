// The anthropic provider, through the official SDK, against a scripted Messages API server on loopback.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/runtime/config/index.ts';
import { Runtime, createEmbedder } from '../../../src/runtime/index.ts';
import {
  AnthropicProvider,
  ContextOverflowError,
  ModelNotFoundError,
  ModelResponseError,
  ModelUnreachableError,
  type ChatMessage,
  type ChatRequest,
  type ModelChunk,
  type ModelClient,
} from '../../../src/runtime/model/index.ts';
import { addTool, tempDir } from '../../support/fixtures.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { startScriptedAnthropic, type ScriptedAnthropic, type ScriptedAnthropicReply } from '../../support/scripted-anthropic.ts';

const FAST_RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 10 };
const KEY = 'sk-ant-test-key';

function config(url: string, extra: Record<string, unknown> = {}) {
  const model = { provider: 'anthropic', name: 'claude-sonnet-4-6', base_url: url, api_key: '${env:ANTHROPIC_TEST_KEY}', ...extra };
  return parseConfig(`model: ${JSON.stringify(model)}`, {
    env: { REIN_HOME: tempDir(), ANTHROPIC_TEST_KEY: KEY, REIN_MACHINE_POLICY: '/nonexistent' },
  });
}

function provider(url: string, extra: Record<string, unknown> = {}): AnthropicProvider {
  return new AnthropicProvider(config(url, extra).model, { retry: FAST_RETRY });
}

async function collect(client: ModelClient, request: ChatRequest): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const chunk of client.chat(request)) chunks.push(chunk);
  return chunks;
}

const tools = [{ name: 'add', description: 'Add two numbers', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } }];
const system: ChatMessage = { role: 'system', content: 'You are Rein. '.repeat(400) };
const hello: ChatMessage[] = [system, { role: 'user', content: 'hello' }];

describe('anthropic provider', () => {
  let api: ScriptedAnthropic;
  let replies: ScriptedAnthropicReply[] = [];
  beforeAll(async () => {
    api = await startScriptedAnthropic({ apiKey: KEY, replies: (_body, index) => replies[index - offset] ?? { content: '' } });
  });
  let offset = 0;
  const script = (next: typeof replies) => {
    replies = next;
    offset = api.requests.length;
  };
  afterAll(() => api.close());

  it('streams text, with the key and API version in the headers, the system prompt apart and usage at the end', async () => {
    script([{ content: 'Hello there friend' }]);
    const chunks = await collect(provider(api.url), { messages: hello });
    const texts = chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('Hello there friend');
    const done = chunks.at(-1);
    expect(done).toMatchObject({ type: 'done', doneReason: 'end_turn', usage: { completionTokens: 5 } });
    const request = api.requests.at(-1)!;
    expect(request.headers.authorization ?? request.headers['x-api-key']).toMatch(new RegExp(`^(Bearer )?${KEY}$`));
    expect(request.headers['anthropic-version']).toBeTruthy();
    expect(request.body).toMatchObject({ model: 'claude-sonnet-4-6', max_tokens: 4096, temperature: 0.2, stream: true });
    expect(request.body.system?.[0]?.text).toBe(system.content);
    expect(request.body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }]);
  });

  it('marks the stable prefix and the newest message for prompt caching; the next step reads them from cache', async () => {
    script([{ toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] }, { content: 'It is 5.' }]);
    const client = provider(api.url);
    const first = await collect(client, { messages: hello, tools });
    const call = first.find((c) => c.type === 'tool_call');
    expect(call).toMatchObject({ type: 'tool_call', call: { id: 'toolu_scripted_1', name: 'add', arguments: { a: 2, b: 3 } } });
    const second = await collect(client, {
      messages: [...hello, { role: 'assistant', content: '', toolCalls: [(call as Extract<ModelChunk, { type: 'tool_call' }>).call] }, { role: 'tool', content: '5', toolName: 'add', callId: 'toolu_scripted_1' }],
      tools,
    });
    const [one, two] = api.requests.slice(-2);
    expect(one!.body.tools?.at(-1)?.cache_control).toBeUndefined(); // the system block's breakpoint covers the tools before it
    expect(one!.body.system?.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(two!.body.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_scripted_1', content: '5', cache_control: { type: 'ephemeral' } }] });
    expect(two!.body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_scripted_1', name: 'add', input: { a: 2, b: 3 } }] });
    const usage = (second.at(-1) as Extract<ModelChunk, { type: 'done' }>).usage;
    const stats = api.cache.at(-1)!;
    expect(stats.cacheRead).toBeGreaterThan(stats.inputTokens); // most of the prompt came from cache
    expect(usage.cachedPromptTokens).toBe(stats.cacheRead);
    expect(usage.promptTokens).toBe(stats.inputTokens + stats.cacheRead + stats.cacheWrite);
  });

  it('assembles two parallel tool calls, and hands malformed input JSON to the loop as text for repair', async () => {
    script([{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }, { name: 'add', arguments: '{"a": 3, "b": 4' }] }]);
    const calls = (await collect(provider(api.url), { messages: hello, tools })).filter((c) => c.type === 'tool_call');
    expect(calls).toEqual([
      { type: 'tool_call', call: { id: 'toolu_scripted_1', name: 'add', arguments: { a: 1, b: 2 } } },
      { type: 'tool_call', call: { id: 'toolu_scripted_2', name: 'add', arguments: '{"a": 3, "b": 4' } },
    ]);
  });

  it('turns "prompt is too long" into a ContextOverflowError with the real window, without retrying', async () => {
    script([{ httpError: { status: 400, type: 'invalid_request_error', message: 'prompt is too long: 250123 tokens > 180000 maximum' } }]);
    const before = api.requests.length;
    const error = await collect(provider(api.url), { messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextOverflowError);
    expect((error as ContextOverflowError).contextWindow).toBe(180_000);
    expect(api.requests.length - before).toBe(1);
  });

  it('retries overloaded (529) and a stream error before any output; a refused key says what to set', async () => {
    script([{ httpError: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }, { streamError: { type: 'overloaded_error', message: 'Overloaded' } }, { content: 'finally' }]);
    const retries: number[] = [];
    const chunks = await collect(provider(api.url), { messages: hello, onRetry: (n) => retries.push(n.attempt) });
    expect(chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('')).toBe('finally');
    expect(retries).toEqual([1, 2]);
    const wrongKey = new AnthropicProvider({ ...config(api.url).model, api_key: 'sk-wrong' }, { retry: FAST_RETRY });
    const refused = await collect(wrongKey, { messages: hello }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelResponseError);
    expect((refused as Error).message).toMatch(/refused the key \(401.*model\.api_key/);
  });

  it('an unknown model is ModelNotFoundError; the window comes from the table, the API, or a default it says is one', async () => {
    script([{ httpError: { status: 404, type: 'not_found_error', message: 'model: claude-nope' } }]);
    const missing = await collect(provider(api.url, { name: 'claude-nope' }), { messages: hello }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelNotFoundError);
    expect(await provider(api.url).info()).toMatchObject({ contextWindow: 200_000, contextSource: 'table', supportsTools: true });
    expect(await provider(api.url, { num_ctx: 50000 }).info()).toMatchObject({ contextWindow: 50_000, contextSource: 'configured' });
    const other = await startScriptedAnthropic({ models: [{ id: 'claude-future-9', maxInputTokens: 1_000_000 }] });
    try {
      expect(await provider(other.url, { name: 'claude-future-9' }).info()).toMatchObject({ contextWindow: 1_000_000, contextSource: 'server' });
      expect(await provider(other.url, { name: 'gateway-model' }).info()).toMatchObject({ contextWindow: 200_000, contextSource: 'default' });
      expect((await provider(other.url).listModels()).map((m) => m.name)).toEqual(['claude-future-9']);
    } finally {
      await other.close();
    }
  });

  it('a server that is down fails at once with one clear error (no retries)', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await collect(provider(`http://127.0.0.1:${port}`), { messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnreachableError);
    expect((error as ModelUnreachableError).transient).toBe(false);
    expect((error as Error).message).toContain(`not reachable at http://127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('without any key for the official API, says how to give one before sending anything', async () => {
    const bare = parseConfig('model: { provider: anthropic }\npolicy: { model_egress: any }', { env: { REIN_HOME: tempDir(), REIN_MACHINE_POLICY: '/nonexistent' } }).model;
    const error = await collect(new AnthropicProvider(bare), { messages: hello }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no API key for the Anthropic API: set model\.api_key: \$\{env:ANTHROPIC_API_KEY\}/);
  });

  it('runs a whole agent run: the tool is called through the guarded path and its result goes back as tool_result', async () => {
    script([{ toolCalls: [{ name: 'add', arguments: { a: 17, b: 25 } }] }, { content: 'The sum is 42.' }]);
    const runtime = new Runtime({ config: config(api.url), tools: [addTool], retry: { retries: 0 }, extensions: [], trace: false });
    const run = runtime.startRun('What is 17 + 25?');
    const events = [];
    for await (const event of run.events) events.push(event);
    const result = await run.result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'completed', answer: 'The sum is 42.' });
    expect(events.find((e) => e.type === 'run.started')).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ ok: true, output: '42' });
    const last = api.requests.at(-1)!.body.messages.at(-1)!;
    expect(last.content[0]).toMatchObject({ type: 'tool_result', content: '42' });
  });
});

describe('Claude 5.x: adaptive thinking and no sampling settings', () => {
  let api: ScriptedAnthropic;
  beforeAll(async () => {
    api = await startScriptedAnthropic({
      apiKey: KEY,
      refuseTemperature: true,
      requireThinkingEcho: true,
      models: [{ id: 'claude-sonnet-5-5', maxInputTokens: 1_000_000 }],
      replies: (body) => {
        const last = body.messages.at(-1)!.content;
        if (last.some((b) => b.type === 'tool_result' || b.text?.startsWith('Tool result'))) return { thinking: 'The tools answered.', content: 'Done: 3 and 7.' };
        return { thinking: 'I should add both pairs.', content: 'Adding.', toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }, { name: 'add', arguments: { a: 3, b: 4 } }] };
      },
    });
  });
  afterAll(() => api.close());

  async function run(yaml: string) {
    const parsed = parseConfig(yaml, { env: { REIN_HOME: tempDir(), K: KEY, REIN_MACHINE_POLICY: '/nonexistent' } });
    const runtime = new Runtime({ config: parsed, tools: [addTool], retry: { retries: 0 }, extensions: [], trace: false });
    const handle = runtime.startRun('Add 1+2 and 3+4.');
    const events = [];
    for await (const event of handle.events) events.push(event);
    const result = await handle.result;
    await runtime.close();
    return { result, events };
  }

  it('echoes the signed thinking with the tool results, answers every call, and sends no temperature', async () => {
    const before = api.requests.length;
    const { result, events } = await run(`model: { provider: anthropic, name: claude-sonnet-5-5, base_url: "${api.url}", api_key: "\${env:K}" }`);
    expect(result).toMatchObject({ status: 'completed', answer: 'Done: 3 and 7.' });
    expect(events.filter((e) => e.type === 'model.thinking').map((e) => (e as { text: string }).text)).toEqual(['I should add both pairs.', 'The tools answered.']);
    const [first, second] = api.requests.slice(before);
    expect(first!.body).not.toHaveProperty('temperature');
    expect(second!.body.messages[1]!.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use', 'tool_use']);
    expect(second!.body.messages[1]!.content[0]).toEqual({ type: 'thinking', thinking: 'I should add both pairs.', signature: 'sig' });
    expect(second!.body.messages[2]!.content.map((b) => [b.type, b.tool_use_id, b.content])).toEqual([
      ['tool_result', 'toolu_scripted_1', '3'],
      ['tool_result', 'toolu_scripted_2', expect.stringContaining('7')],
    ]);
  });

  it('a call dropped by the per-turn cap is still answered ("not run"), so the API accepts the turn', async () => {
    const before = api.requests.length;
    const { result } = await run(`model: { provider: anthropic, name: claude-sonnet-5-5, base_url: "${api.url}", api_key: "\${env:K}" }\nruntime: { max_tool_calls_per_turn: 1 }`);
    expect(result.status).toBe('completed');
    const results = api.requests[before + 1]!.body.messages[2]!.content.filter((b) => b.type === 'tool_result');
    expect(results.map((b) => [b.tool_use_id, b.content])).toEqual([['toolu_scripted_1', '3'], ['toolu_scripted_2', '(this call was not run)']]);
  });

  it('a model that refuses temperature gets the request again without it, once per client', async () => {
    const client = new AnthropicProvider(config(api.url, { name: 'claude-sonnet-4-6' }).model, { retry: FAST_RETRY }); // the table says it takes temperature; this server says no
    const before = api.requests.length;
    await collect(client, { messages: hello });
    await collect(client, { messages: hello });
    expect(api.requests.slice(before).map((r) => 'temperature' in r.body)).toEqual([true, false, false]);
  });

  it('a tool cycle whose thinking was lost (resumed after a crash) is told as text instead of being refused', async () => {
    const client = new AnthropicProvider(config(api.url, { name: 'claude-sonnet-5-5' }).model, { retry: FAST_RETRY });
    const lost: ChatMessage[] = [
      { role: 'user', content: 'Add 1+2.' },
      { role: 'assistant', content: '', toolCalls: [{ id: 's1_toolu_old', name: 'add', arguments: { a: 1, b: 2 } }] },
      { role: 'tool', content: '3', toolName: 'add', callId: 's1_toolu_old' },
    ];
    const before = api.requests.length;
    const chunks = await collect(client, { messages: lost, tools });
    expect(chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('')).toBe('Done: 3 and 7.');
    const [refused, told] = api.requests.slice(before);
    expect(refused!.body.messages[1]!.content[0]!.type).toBe('tool_use');
    expect(told!.body.messages.map((m) => m.content.map((b) => b.type))).toEqual([['text'], ['text'], ['text']]);
    expect(told!.body.messages[2]!.content[0]!.text).toBe('Tool result: 3');
  });
});

describe('embeddings beside a cloud chat model', () => {
  it('says the provider has none and how to name a local one; `ollama:<name>` uses the configured Ollama', async () => {
    const ollama = await ScriptedOllama.start({ models: [{ name: 'nomic-embed-text', capabilities: ['embedding'] }] });
    try {
      const yaml = ['model: { provider: anthropic, api_key: "${env:K}" }', `providers: { local: { provider: ollama, base_url: "${ollama.url}" } }`, 'policy: { model_egress: any }'].join('\n');
      const config = parseConfig(yaml, { env: { REIN_HOME: tempDir(), K: 'k', REIN_MACHINE_POLICY: '/nonexistent' } });
      await expect(createEmbedder(config, 'nomic-embed-text').embed(['a'])).rejects.toThrow('the anthropic provider has no embedding models: set memory.embed_model to a local one, e.g. ollama:nomic-embed-text');
      const vectors = await createEmbedder(config, 'ollama:nomic-embed-text').embed(['a', 'b']);
      expect(vectors).toHaveLength(2);
      expect(vectors[0]!.length).toBeGreaterThan(0);
    } finally {
      await ollama.close();
    }
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
