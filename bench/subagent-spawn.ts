// Subagent cost, local process against container in the same run: start → first MCP answer (the process or
// container is up and answered `initialize`), start → answer of a one-step task, and the same task in-process. The
// scripted Ollama server answers at once; the subagents' model calls go through the parent, as by default.
// Usage: node bench/subagent-spawn.ts   (BENCH_RUNS=10 by default; the container part needs Podman or Docker)
import { Runtime } from '../src/runtime/index.ts';
import { SubagentSpawner } from '../src/runtime/agents/spawner.ts';
import { buildImage, checkImage, findEngine } from '../src/runtime/containers/index.ts';
import { createModelClient } from '../src/runtime/model/index.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';
import { testConfig } from '../test/support/fixtures.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const ollama = await ScriptedOllama.start({ replies: () => ({ content: 'done' }) });
const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const inProcess: number[] = [];
const base = testConfig('agents: { enabled: true, max_concurrent: 1 }', ollama.url);
const runtime = new Runtime({ config: base, trace: false, extensions: [] });
await runtime.start();
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  await runtime.startRun(`task ${i}`).result;
  inProcess.push(performance.now() - started);
}
await runtime.close();

async function measure(backend: 'local' | 'container'): Promise<{ ready: number[]; answered: number[] }> {
  const config = testConfig(`agents: { enabled: true, max_concurrent: 1, backend: ${backend} }`, ollama.url);
  const model = createModelClient(config.model);
  const spawner = new SubagentSpawner({ config, depth: 0 });
  const ready: number[] = [];
  const answered: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    let readyAt = started;
    const result = await spawner.run(
      { goal: `task ${i}` },
      { signal: new AbortController().signal, parentTools: [], model: () => model, ask: async () => ({ action: 'decline' }), onSpawned: () => (readyAt = performance.now()) },
    );
    if (result.status !== 'completed') throw new Error(`${backend} subagent ${i} ended ${result.status}: ${result.error}`);
    ready.push(readyAt - started);
    answered.push(performance.now() - started);
  }
  await spawner.close();
  return { ready, answered };
}

const rows: [string, { ready: number[]; answered: number[] } | string][] = [['local process', await measure('local')]];
try {
  const engine = await findEngine('auto');
  if (!(await checkImage(engine)).current) await buildImage(engine); // not timed
  rows.push([`container (${engine.name} ${engine.version})`, await measure('container')]);
} catch (error) {
  rows.push(['container', `skipped: ${(error as Error).message}`]);
}
await ollama.close();

console.log(`${RUNS} runs each, p50 (includes ending the process or removing the container):`);
console.log(`  in-process one-step task:  ${p50(inProcess).toFixed(1)} ms`);
for (const [name, result] of rows) {
  if (typeof result === 'string') console.log(`  ${name}: ${result}`);
  else console.log(`  ${name.padEnd(24)} start → first MCP answer ${p50(result.ready).toFixed(0)} ms · start → task answered ${p50(result.answered).toFixed(0)} ms`);
}
