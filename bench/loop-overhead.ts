// Harness overhead per step: the real ollama client against the scripted server, so model time is ~0.
// Usage: npm run bench
import { Runtime } from '../src/runtime/index.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';
import { addTool, testConfig } from '../test/support/fixtures.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const STEPS = 5;

const ollama = await ScriptedOllama.start({
  replies: (_request, i) => (i % STEPS === STEPS - 1 ? { content: 'done' } : { toolCalls: [{ name: 'add', arguments: { a: i, b: 1 } }] }),
});
const runtime = new Runtime({ config: testConfig('runtime: { loop_window: 50 }', ollama.url), tools: [addTool], trace: false });
const durations: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const result = await runtime.startRun(`bench ${i}`).result;
  if (result.status !== 'completed') throw new Error(`run ${i} ended ${result.status}: ${result.reason}`);
  durations.push(performance.now() - started);
}
await runtime.close();
await ollama.close();
durations.sort((a, b) => a - b);
const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!.toFixed(1);
console.log(`${RUNS} runs × ${STEPS} steps: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms per run (${(Number(at(0.5)) / STEPS).toFixed(2)} ms per step)`);
