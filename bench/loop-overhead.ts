// Harness overhead per step: the real ollama client against the scripted server, so model time is ~0. At scale:
// 200 MCP tools (registered as MCP tools, so selection and ranking apply), 1,000 skills and 100,000 memory notes.
// A step's overhead is the time between two model requests of a run (tool call, events, checkpoint, working context,
// tool selection); run start (recall, skill retrieval) is reported apart.
// Usage: npm run bench   (BENCH_RUNS=30, BENCH_TOOLS=200, BENCH_SKILLS=1000, BENCH_NOTES=100000)
import fs from 'node:fs';
import path from 'node:path';
import { Runtime, type Tool } from '../src/runtime/index.ts';
import { SqliteMemoryStore } from '../src/runtime/memory/index.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';
import { addTool, testConfig } from '../test/support/fixtures.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const TOOLS = Number(process.env.BENCH_TOOLS ?? 200);
const SKILLS = Number(process.env.BENCH_SKILLS ?? 1000);
const NOTES = Number(process.env.BENCH_NOTES ?? 100_000);
const STEPS = 5;
const VERBS = ['read', 'write', 'list', 'search', 'create', 'delete', 'update', 'fetch', 'send', 'sync'];
const NOUNS = ['file', 'issue', 'invoice', 'message', 'calendar', 'contact', 'ticket', 'repo', 'page', 'order', 'note', 'image', 'table', 'user', 'report', 'build', 'deploy', 'alert', 'metric', 'log'];

const requestTimes: number[] = [];
const ollama = await ScriptedOllama.start({
  replies: (_request, i) => {
    requestTimes.push(performance.now());
    return i % STEPS === STEPS - 1 ? { content: 'done' } : { toolCalls: [{ name: 'add', arguments: { a: i, b: 1 } }] };
  },
});
const config = testConfig('runtime: { loop_window: 50 }', ollama.url);

const mcpTools: Tool[] = Array.from({ length: TOOLS }, (_, i) => {
  const verb = VERBS[i % VERBS.length]!;
  const noun = NOUNS[Math.floor(i / VERBS.length) % NOUNS.length]!;
  return {
    name: `srv${i % 5}__${verb}_${noun}_${i}`,
    description: `${verb[0]!.toUpperCase()}${verb.slice(1)} a ${noun} in the workspace (variant ${i})`,
    parameters: { type: 'object', properties: { id: { type: 'string', description: `the ${noun} id` } }, required: ['id'] },
    capability: 'read',
    source: { kind: 'mcp', server: `srv${i % 5}` },
    run: async () => 'ok',
  };
});

const userDir = config.skills.user_dir!;
fs.mkdirSync(userDir, { recursive: true });
for (let i = 0; i < SKILLS; i++) {
  const noun = NOUNS[i % NOUNS.length]!;
  const name = `${VERBS[i % VERBS.length]}_${noun}_${i}`;
  fs.writeFileSync(path.join(userDir, `${name}.json`), JSON.stringify({ name, description: `How to ${name.replaceAll('_', ' ')}`, triggers: [noun], instructions: `Steps for ${name}.` }));
}

const seeding = performance.now();
const store = new SqliteMemoryStore(config.memory.path);
for (let i = 0; i < NOTES; i++) {
  await store.addNote({ content: `note ${i}: the ${NOUNS[i % NOUNS.length]} ${VERBS[i % VERBS.length]} was done on day ${i % 365}`, kind: 'fact', source: 'bench' });
}
await store.close();
const seedSeconds = ((performance.now() - seeding) / 1000).toFixed(1);

const runtime = new Runtime({ config, tools: [addTool, ...mcpTools], trace: false });
await runtime.start();
const perRun: number[] = [];
const firstRequest: number[] = [];
const perStep: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const from = requestTimes.length;
  const started = performance.now();
  const result = await runtime.startRun(`bench ${i}: add the numbers and file the invoice report`).result;
  if (result.status !== 'completed') throw new Error(`run ${i} ended ${result.status}: ${result.reason}`);
  perRun.push(performance.now() - started);
  const times = requestTimes.slice(from);
  firstRequest.push(times[0]! - started);
  for (let k = 1; k < times.length; k++) perStep.push(times[k]! - times[k - 1]!);
}
await runtime.close();
await ollama.close();

const at = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!.toFixed(1);
console.log(`${TOOLS} MCP tools, ${SKILLS} skills, ${NOTES} memory notes (seeded in ${seedSeconds} s); ${RUNS} runs × ${STEPS} steps`);
console.log(`per step:             p50 ${at(perStep, 0.5)} ms, p95 ${at(perStep, 0.95)} ms`);
console.log(`run start → 1st call: p50 ${at(firstRequest, 0.5)} ms, p95 ${at(firstRequest, 0.95)} ms`);
console.log(`whole run:            p50 ${at(perRun, 0.5)} ms, p95 ${at(perRun, 0.95)} ms`);
