// The embedded engine: generation speed by thread count (idle machine, and with one other process keeping a core
// busy), and time to first token through Rein (worker process, IPC, history mapping) against node-llama-cpp used
// directly in this process on the same model.
// Usage: node bench/embedded-threads.ts [model.gguf]   (default: the tiny test model; BENCH_RUNS=15, BENCH_TOKENS=64)
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { getLlama, LlamaChat } from 'node-llama-cpp';
import { EmbeddedProvider } from '../src/runtime/model/index.ts';
import { TINY_GGUF } from '../test/support/model-file-server.ts';
import { tempDir } from '../test/support/fixtures.ts';

const MODEL = process.argv[2] ?? TINY_GGUF;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 64);
const CONTEXT = 2048;
const SYSTEM = 'You are a helpful assistant.';
const USER = 'Tell me a long story about a lighthouse keeper.';
const messages = [
  { role: 'system' as const, content: SYSTEM },
  { role: 'user' as const, content: USER },
];

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function provider(threads: number): EmbeddedProvider {
  return new EmbeddedProvider({ source: 'model', provider: 'embedded', name: MODEL, base_url: '', flavor: 'auto', temperature: 0, num_ctx: CONTEXT, threads }, { dataDir: tempDir() });
}

/** One generation through Rein: time to the first text chunk, and decode tokens/s after it. */
async function viaRein(client: EmbeddedProvider, maxTokens: number): Promise<{ ttftMs: number; tokensPerSecond: number }> {
  const started = performance.now();
  let first = 0;
  let tokens = 0;
  for await (const chunk of client.chat({ messages, maxReplyTokens: maxTokens })) {
    if (chunk.type === 'text' && !first) first = performance.now();
    if (chunk.type === 'done') tokens = chunk.usage.completionTokens;
  }
  const end = performance.now();
  return { ttftMs: first - started, tokensPerSecond: tokens > 1 ? ((tokens - 1) * 1000) / (end - first) : 0 };
}

/** A process that keeps one core busy (another engineer's build, a browser tab). */
function burner(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

console.log(`model ${MODEL}; ${os.availableParallelism()} CPUs, load average ${os.loadavg().map((n) => fmt(n, 2)).join(' ')}; ${RUNS} runs of ${TOKENS} tokens`);

// 1. Time to first token: Rein (worker + IPC) against node-llama-cpp directly, the same prompt, alternating.
const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false });
const model = await llama.loadModel({ modelPath: MODEL });
const context = await model.createContext({ contextSize: CONTEXT, threads: 1 });
const chat = new LlamaChat({ contextSequence: context.getSequence() });
const history = [
  { type: 'system' as const, text: SYSTEM },
  { type: 'user' as const, text: USER },
];
async function direct(): Promise<number> {
  const started = performance.now();
  let first = 0;
  await chat.generateResponse(history, { temperature: 0, maxTokens: 4, onTextChunk: (text) => void (text && !first && (first = performance.now())) });
  return first - started;
}
const rein = provider(1);
await viaRein(rein, 4);
await direct();
const reinTtft: number[] = [];
const directTtft: number[] = [];
for (let i = 0; i < RUNS; i++) {
  reinTtft.push((await viaRein(rein, 4)).ttftMs);
  directTtft.push(await direct());
}
await rein.close();
await llama.dispose();
const overhead = reinTtft.map((t, i) => t - directTtft[i]!);
console.log(`time to first token, threads 1: Rein p50 ${fmt(quantile(reinTtft, 0.5))} ms (p95 ${fmt(quantile(reinTtft, 0.95))}), node-llama-cpp directly p50 ${fmt(quantile(directTtft, 0.5))} ms (p95 ${fmt(quantile(directTtft, 0.95))})`);
console.log(`Rein's overhead per call: p50 ${fmt(quantile(overhead, 0.5))} ms, p95 ${fmt(quantile(overhead, 0.95))} ms`);

// 2. Tokens/s by thread count, idle and with a busy core.
for (const busy of [false, true]) {
  const load = busy ? burner() : undefined;
  try {
    for (const threads of [1, 2]) {
      const client = provider(threads);
      await viaRein(client, 8); // load and warm up
      const speeds: number[] = [];
      for (let i = 0; i < 3; i++) speeds.push((await viaRein(client, TOKENS)).tokensPerSecond);
      console.log(`threads ${threads}${busy ? ', one core busy' : ''}: ${fmt(quantile(speeds, 0.5))} tokens/s (p50; min ${fmt(Math.min(...speeds))}, max ${fmt(Math.max(...speeds))})`);
      await client.close();
    }
  } finally {
    load?.kill('SIGKILL');
  }
}

