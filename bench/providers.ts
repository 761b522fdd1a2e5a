// Each model provider against its raw client, in the same run, against scripted servers (model time ≈ 0): time to the
// first text token and the time of a whole tool-call step (request → assembled call), alternating Rein and the raw
// client so both see the same machine load. Rein's overhead = Rein − raw (p50). Target: ≤ 5 ms p50.
// Add a provider (embedded) by adding an entry to BENCHES: how to start its scripted server, Rein's client,
// and the raw client's two calls.
// Usage: node bench/providers.ts   (BENCH_ROUNDS=200)
import Anthropic from '@anthropic-ai/sdk';
import { createParser } from 'eventsource-parser';
import { Ollama } from 'ollama';
import { parseConfig } from '../src/runtime/config/index.ts';
import { createModelClient, type ModelClient } from '../src/runtime/model/index.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';
import { ScriptedOpenAi, type ServerKind } from '../test/support/scripted-openai.ts';
import { startScriptedAnthropic } from '../test/support/scripted-anthropic.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const MESSAGES = [
  { role: 'system' as const, content: 'You are a helpful assistant. '.repeat(40) },
  { role: 'user' as const, content: 'Add 2 and 3, then tell me the result.' },
];
const TOOLS = Array.from({ length: 20 }, (_, i) => ({ name: i === 0 ? 'add' : `tool_${i}`, description: `Tool number ${i}`, parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } }));
const ANSWER = 'The answer is five, as two plus three makes five.';

/** One provider's bench: its server, Rein's client and the raw client. `tool` asks the server for a tool call. */
interface Bench {
  name: string;
  start(): Promise<{ rein: ModelClient; raw: RawClient; close(): Promise<void> }>;
}

interface RawClient {
  /** Resolves at the first text token. */
  firstToken(): Promise<void>;
  /** Resolves when the tool call has streamed in whole. */
  toolStep(): Promise<void>;
}

const base = parseConfig('', { env: {} }).model;

function openAiBench(kind: ServerKind, title: string): Bench {
  return {
    name: `openai_compatible · ${title}`,
    async start() {
      const server = await ScriptedOpenAi.start({ kind, replies: (body) => (body.tools?.length ? { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] } : { content: ANSWER }) });
      const rein = createModelClient({ ...base, provider: 'openai_compatible', name: '', base_url: server.baseUrl, flavor: 'auto' }, { retry: { retries: 0 } });
      await rein.info();
      const model = rein.model;
      // The least a client must do: POST, read SSE, parse each chunk, join the argument fragments.
      const stream = async (tools: boolean, until: (chunk: { choices?: { delta?: { content?: string; tool_calls?: { function?: { arguments?: string } }[] } }[] }) => boolean) => {
        const response = await fetch(`${server.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ model, messages: MESSAGES, stream: true, stream_options: { include_usage: true }, ...(tools ? { tools: TOOLS.map((t) => ({ type: 'function', function: t })) } : {}) }),
        });
        const decoder = new TextDecoder();
        let stop = false;
        const parser = createParser({ onEvent: (event) => {
          if (event.data !== '[DONE]' && !stop) stop = until(JSON.parse(event.data));
        } });
        const reader = response.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done || stop) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        await reader.cancel();
      };
      const raw: RawClient = {
        firstToken: () => stream(false, (c) => Boolean(c.choices?.[0]?.delta?.content)),
        toolStep: async () => {
          let args = '';
          await stream(true, (c) => {
            for (const call of c.choices?.[0]?.delta?.tool_calls ?? []) args += call.function?.arguments ?? '';
            return false;
          });
          JSON.parse(args);
        },
      };
      return { rein, raw, close: () => server.close() };
    },
  };
}

const BENCHES: Bench[] = [
  {
    name: 'ollama',
    async start() {
      const server = await ScriptedOllama.start({ replies: (body) => (body.tools?.length ? { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] } : { content: ANSWER }) });
      const rein = createModelClient({ ...base, provider: 'ollama', name: 'qwen3:4b', base_url: server.url }, { retry: { retries: 0 } });
      await rein.info();
      const client = new Ollama({ host: server.url });
      const tools = TOOLS.map((t) => ({ type: 'function', function: t }));
      const raw: RawClient = {
        firstToken: async () => {
          const stream = await client.chat({ model: 'qwen3:4b', messages: MESSAGES, stream: true });
          for await (const part of stream) if (part.message.content) break;
          stream.abort();
        },
        toolStep: async () => {
          for await (const part of await client.chat({ model: 'qwen3:4b', messages: MESSAGES, stream: true, tools: tools as never })) void part;
        },
      };
      return { rein, raw, close: () => server.close() };
    },
  },
  {
    name: 'anthropic',
    async start() {
      const server = await startScriptedAnthropic({ replies: (body) => (body.tools?.length ? { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] } : { content: ANSWER }) });
      const rein = createModelClient({ ...base, provider: 'anthropic', name: 'claude-sonnet-5-5', base_url: server.url, api_key: 'sk-ant-bench' }, { retry: { retries: 0 } });
      await rein.info();
      const client = new Anthropic({ baseURL: server.url, apiKey: 'sk-ant-bench', maxRetries: 0 });
      const request = (tools: boolean) => ({ model: 'claude-sonnet-5-5', max_tokens: 1024, system: [{ type: 'text' as const, text: MESSAGES[0]!.content }], messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: MESSAGES[1]!.content }] }], ...(tools ? { tools: TOOLS.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as Anthropic.Tool.InputSchema })) } : {}) });
      const raw: RawClient = {
        firstToken: async () => {
          const stream = client.messages.stream(request(false));
          for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') break;
          stream.abort();
        },
        toolStep: async () => {
          await client.messages.stream(request(true)).finalMessage();
        },
      };
      return { rein, raw, close: () => server.close() };
    },
  },
  openAiBench('llamacpp', 'llama.cpp'),
  openAiBench('vllm', 'vLLM'),
  openAiBench('lmstudio', 'LM Studio'),
];

async function reinFirstToken(rein: ModelClient): Promise<void> {
  const controller = new AbortController();
  for await (const chunk of rein.chat({ messages: MESSAGES, signal: controller.signal })) {
    if (chunk.type === 'text') {
      controller.abort();
      break;
    }
  }
}

async function reinToolStep(rein: ModelClient): Promise<void> {
  let calls = 0;
  for await (const chunk of rein.chat({ messages: MESSAGES, tools: TOOLS })) if (chunk.type === 'tool_call') calls++;
  if (calls !== 1) throw new Error(`expected one tool call, got ${calls}`);
}

async function time(operation: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await operation();
  return performance.now() - started;
}

const p = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

console.log(`${ROUNDS} rounds per provider; Rein and the raw client alternate (p50 / p95)`);
for (const bench of BENCHES) {
  const { rein, raw, close } = await bench.start();
  const samples = { reinFirst: [] as number[], rawFirst: [] as number[], reinStep: [] as number[], rawStep: [] as number[] };
  for (let i = 0; i < 20; i++) await Promise.all([reinToolStep(rein), raw.toolStep()]); // warm-up
  for (let i = 0; i < ROUNDS; i++) {
    samples.rawFirst.push(await time(raw.firstToken));
    samples.reinFirst.push(await time(() => reinFirstToken(rein)));
    samples.reinStep.push(await time(() => reinToolStep(rein)));
    samples.rawStep.push(await time(raw.toolStep));
  }
  await close();
  const first = p(samples.reinFirst, 0.5) - p(samples.rawFirst, 0.5);
  const step = p(samples.reinStep, 0.5) - p(samples.rawStep, 0.5);
  console.log(`${bench.name}`);
  console.log(`  first token: Rein ${ms(p(samples.reinFirst, 0.5))} / ${ms(p(samples.reinFirst, 0.95))}, raw ${ms(p(samples.rawFirst, 0.5))} / ${ms(p(samples.rawFirst, 0.95))} → overhead ${ms(first)}`);
  console.log(`  tool step:   Rein ${ms(p(samples.reinStep, 0.5))} / ${ms(p(samples.reinStep, 0.95))}, raw ${ms(p(samples.rawStep, 0.5))} / ${ms(p(samples.rawStep, 0.95))} → overhead ${ms(step)}`);
}
