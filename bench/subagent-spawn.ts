// Subagent cost: time from spawn to a ready child (MCP handshake done), spawn to first answer, and the overhead of
// a one-step task in a subagent versus the same task in-process. The scripted Ollama server answers at once.
// Usage: node bench/subagent-spawn.ts   (BENCH_RUNS=10 by default)
import { Runtime } from '../src/runtime/index.ts';
import { SubagentSpawner } from '../src/runtime/agents/spawner.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';
import { testConfig } from '../test/support/fixtures.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const ollama = await ScriptedOllama.start({ replies: () => ({ content: 'done' }) });
const config = testConfig('agents: { enabled: true, max_concurrent: 1 }', ollama.url);

const inProcess: number[] = [];
const runtime = new Runtime({ config, trace: false, extensions: [] });
await runtime.start();
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  await runtime.startRun(`task ${i}`).result;
  inProcess.push(performance.now() - started);
}
await runtime.close();

const ready: number[] = [];
const answered: number[] = [];
const spawner = new SubagentSpawner({ config, depth: 0 });
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  let readyAt = started;
  const result = await spawner.run(
    { goal: `task ${i}` },
    { signal: new AbortController().signal, parentTools: [], ask: async () => ({ action: 'decline' }), onSpawned: () => (readyAt = performance.now()) },
  );
  if (result.status !== 'completed') throw new Error(`subagent ${i} ended ${result.status}: ${result.error}`);
  ready.push(readyAt - started);
  answered.push(performance.now() - started);
}
await spawner.close();
await ollama.close();

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`${RUNS} runs each (p50):`);
console.log(`  spawn → ready (process up, MCP handshake done): ${p50(ready).toFixed(0)} ms`);
console.log(`  spawn → answer of a one-step task:              ${p50(answered).toFixed(0)} ms`);
console.log(`  same task in-process:                           ${p50(inProcess).toFixed(1)} ms`);
console.log(`  overhead per subagent task:                     ${(p50(answered) - p50(inProcess)).toFixed(0)} ms (includes ending the process)`);
