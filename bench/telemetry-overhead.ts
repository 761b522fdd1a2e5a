// Telemetry's cost per step: the same 5-step runs (a tool call per step, the real ollama client against the scripted
// server, so model time is ~0) on four runtimes in one process, interleaved (in rotating order) so all see the same
// machine load:
// telemetry off; on, exporting to a live OTLP collector; on, with the collector down (connections refused); on, with
// a collector that accepts connections and never answers. A step is the time between two model requests of a run.
// The live collector runs in a process of its own (as a real one does), so its decoding is not billed to Rein.
// Usage: node bench/telemetry-overhead.ts   (BENCH_RUNS=100)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Runtime } from '../src/runtime/index.ts';
import { OtlpReceiver } from '../test/support/otlp-receiver.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';
import { addTool, testConfig } from '../test/support/fixtures.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const STEPS = 5;

const requestTimes: number[] = [];
const ollama = await ScriptedOllama.start({
  replies: (_request, i) => {
    requestTimes.push(performance.now());
    return i % STEPS === STEPS - 1 ? { content: 'done' } : { toolCalls: [{ name: 'add', arguments: { a: i, b: 1 } }] };
  },
});
const collector = spawn(process.execPath, ['--input-type=module', '-e', `
  const { OtlpReceiver } = await import(${JSON.stringify(path.resolve(import.meta.dirname, '../test/support/otlp-receiver.ts'))});
  const receiver = await OtlpReceiver.start();
  console.log(receiver.url);
  process.stdin.on('end', () => { console.log(receiver.spans().length); process.exit(0); });
  process.stdin.resume();
`], { stdio: ['pipe', 'pipe', 'inherit'] });
const [liveUrl] = (await once(collector.stdout, 'data')).map((chunk: Buffer) => chunk.toString().trim());
const live = { url: liveUrl! };
const hanging = await OtlpReceiver.start({ hang: true });
const gone = await OtlpReceiver.start();
const goneUrl = gone.url;
await gone.close();

const telemetry = (endpoint: string) => `telemetry: { enabled: true, otlp: { endpoint: "${endpoint}" } }\n`;
const modes = {
  off: '',
  'on, live collector': telemetry(live.url),
  'on, collector down': telemetry(goneUrl),
  'on, collector hangs': telemetry(hanging.url),
} as const;
type Mode = keyof typeof modes;
const runtimes = Object.fromEntries(
  Object.entries(modes).map(([mode, yaml]) => [mode, new Runtime({ config: testConfig(`runtime: { loop_window: 50 }\n${yaml}`, ollama.url), tools: [addTool], trace: false })]),
) as Record<Mode, Runtime>;
const notices: string[] = [];
for (const runtime of Object.values(runtimes)) {
  await runtime.start();
  runtime.onSystemEvent((event) => event.type === 'system.notice' && event.source === 'telemetry' && notices.push(event.message));
}

const perStep = Object.fromEntries(Object.keys(modes).map((mode) => [mode, [] as number[]])) as Record<Mode, number[]>;
const perRun = Object.fromEntries(Object.keys(modes).map((mode) => [mode, [] as number[]])) as Record<Mode, number[]>;
for (let i = 0; i < RUNS; i++) {
  const order = Object.keys(modes) as Mode[];
  for (const mode of [...order.slice(i % order.length), ...order.slice(0, i % order.length)]) {
    const from = requestTimes.length;
    const started = performance.now();
    const result = await runtimes[mode].startRun(`bench ${i}: add the numbers`).result;
    if (result.status !== 'completed') throw new Error(`${mode}: run ${i} ended ${result.status}: ${result.reason}`);
    perRun[mode].push(performance.now() - started);
    const times = requestTimes.slice(from);
    for (let k = 1; k < times.length; k++) if (i > 0) perStep[mode].push(times[k]! - times[k - 1]!); // run 0 warms up
  }
}
const closing: Record<string, number> = {};
for (const [mode, runtime] of Object.entries(runtimes)) {
  const started = performance.now();
  await runtime.close();
  closing[mode] = performance.now() - started;
}
collector.stdin.end();
const [received] = (await once(collector.stdout, 'data')).map((chunk: Buffer) => chunk.toString().trim());
await Promise.all([ollama.close(), hanging.close()]);

const at = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const base = at(perStep.off, 0.5);
console.log(`${RUNS} runs × ${STEPS} steps per runtime, interleaved; ${received} spans reached the live collector`);
for (const mode of Object.keys(modes) as Mode[]) {
  const p50 = at(perStep[mode], 0.5);
  const delta = mode === 'off' ? '' : ` (${p50 - base >= 0 ? '+' : ''}${(p50 - base).toFixed(2)} ms vs off)`;
  console.log(`${mode.padEnd(20)} per step p50 ${p50.toFixed(2)} ms${delta}, p95 ${at(perStep[mode], 0.95).toFixed(2)} ms; whole run p50 ${at(perRun[mode], 0.5).toFixed(1)} ms; close ${closing[mode]!.toFixed(0)} ms`);
}
console.log(`telemetry notices: ${notices.length} (${notices.map((n) => n.slice(0, 60)).join(' | ')})`);
