// Context cost of a long run on a local model: a 40-step workload over real MCP servers (everything, filesystem,
// memory) against the scripted Ollama server simulating llama.cpp's prompt cache (prompt_eval_count = tokens after the
// longest common prefix with what the slot holds: the previous prompt and its reply). Rein as configured (and with
// other memory settings) vs Rein configured naively (every tool every turn, no memory compaction), in one run.
// Usage: node bench/context-cost.ts   (BENCH_STEPS=40, BENCH_NUM_CTX=8192)
import fs from 'node:fs';
import path from 'node:path';
import { McpService, Runtime, defaultExtensions, type ReinConfig } from '../src/runtime/index.ts';
import { testConfig, tempDir } from '../test/support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../test/support/scripted-ollama.ts';
import { EVERYTHING, FILESYSTEM, MEMORY, stdioServer } from '../test/runtime/mcp/helpers.ts';

const STEPS = Number(process.env.BENCH_STEPS ?? 40);
const NUM_CTX = Number(process.env.BENCH_NUM_CTX ?? 8192);
const RESULT_CHARS = 1500;
const EMBED_MODEL = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embeddingDimensions: 256, embedding: 'words' as const };

const dir = tempDir('rein-bench-');
const files = Array.from({ length: STEPS }, (_, i) => {
  const file = path.join(dir, `notes-${i}.txt`);
  fs.writeFileSync(file, text(`notes file ${i}`, RESULT_CHARS));
  return file;
});
const GOAL = `Go through the notes files in ${dir}: read each with read_text_file, echo a digest of every third one, and look up related entities in the memory graph; then say done.`;

/** The tool call of each step: mostly file reads (~1.5 KB results), echoes of ~1.5 KB, and a few memory lookups. */
function action(i: number): { name: string; args: Record<string, unknown>; query: string } {
  if (i % 5 === 4) return { name: 'memory__search_nodes', args: { query: `notes ${i}` }, query: 'search the knowledge graph nodes' };
  if (i % 3 === 2) return { name: 'everything__echo', args: { message: text(`digest ${i}`, RESULT_CHARS) }, query: 'echo a message back' };
  return { name: 'fs__read_text_file', args: { path: files[i] }, query: 'read a text file' };
}

function text(seed: string, chars: number): string {
  const words = ['alpha', 'budget', 'config', 'delta', 'engine', 'filter', 'gamma', 'harbor', 'index', 'jitter', 'kernel', 'ledger'];
  let out = `${seed}:`;
  for (let i = 0; out.length < chars; i++) out += ` ${words[(i * 7 + seed.length) % words.length]}${i}`;
  return out.slice(0, chars);
}

function isSummary(request: ChatRequestBody): boolean {
  const separate = !request.tools?.length && (request.messages[0]?.content ?? '').startsWith('You compact the memory of an agent');
  return separate || (request.messages.at(-1)?.content ?? '').startsWith('Memory compaction:');
}

/** A model that does the workload: it calls a tool when offered, else asks find_tools for it. */
function agent(): (request: ChatRequestBody) => ScriptedReply {
  let next = 0;
  return (request) => {
    if (isSummary(request)) return { content: `Read notes files up to ${next}; echoed digests; memory graph had no related entities. Remaining: the rest of the files.` };
    if (next >= STEPS) return { content: 'done' };
    const step = action(next);
    const offered = new Set((request.tools ?? []).map((t) => t.function.name));
    if (!offered.has(step.name) && offered.has('find_tools')) return { toolCalls: [{ name: 'find_tools', arguments: { query: step.query } }] };
    next++;
    return { toolCalls: [{ name: step.name, arguments: step.args }] };
  };
}

interface Measured {
  label: string;
  turns: number;
  promptPerTurn: number;
  evaluated: number;
  evaluatedPerTurn: number;
  summaries: number;
  peak: number;
  context: number;
  status: string;
}

async function measure(label: string, yaml: string, options: { compaction: boolean; tools?: number }): Promise<Measured> {
  const ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, EMBED_MODEL], replies: agent(), prefixCache: true });
  const servers = [
    stdioServer('everything', EVERYTHING, ['stdio']),
    stdioServer('fs', FILESYSTEM, [dir]),
    stdioServer('memory', MEMORY, [], `    env: { MEMORY_FILE_PATH: ${JSON.stringify(path.join(tempDir(), 'm.jsonl'))} }\n`),
  ].join('');
  const runtimeYaml = `max_steps: ${STEPS * 2 + 10}, loop_window: 100, step_timeout_s: 120${options.tools ? `, max_tools_per_turn: ${options.tools}` : ''}`;
  const config: ReinConfig = testConfig(`model: { num_ctx: ${NUM_CTX} }\nruntime: { ${runtimeYaml} }\n${yaml}\nmcp_servers:\n${servers}`, ollama.url);
  const extensions = defaultExtensions(config).filter((e) => options.compaction || e.name !== 'memory');
  // The user approves each tool once for good (MCP tools ask first: their annotations are not trusted).
  const runtime = new Runtime({ config, extensions, trace: false, ask: async () => ({ action: 'accept', always: true, by: 'bench' }) });
  await runtime.start();
  const mcp = extensions.find((e): e is McpService => e instanceof McpService)!;
  while (mcp.servers().some((s) => s.state !== 'ready')) await new Promise((resolve) => setTimeout(resolve, 50));
  const result = await runtime.startRun(GOAL).result;
  const refused = result.messages.filter((m) => m.role === 'tool' && m.content.startsWith('Error:')).length;
  if (refused) throw new Error(`${label}: ${refused} tool calls failed, the workload is not what it should be`);
  await runtime.close();
  await ollama.close();
  const stats = ollama.promptStats;
  if (process.env.BENCH_DEBUG) {
    for (const m of ollama.chatRequests.at(-1)!.messages.filter((m) => m.role === 'tool').slice(0, 4)) console.log(`tool result (${m.content.length} chars): ${m.content.slice(0, 160)}`);
    for (const st of stats) {
      const r = ollama.chatRequests[st.request]!;
      console.log(`${label} #${st.request} ${isSummary(r) ? 'summary' : 'agent'}: prompt ${st.promptTokens}, evaluated ${st.evaluatedTokens}, ${r.tools?.length ?? 0} tools, ${r.messages.length} messages`);
    }
  }
  const turns = stats.filter((s) => !isSummary(ollama.chatRequests[s.request]!));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const evaluated = sum(stats.map((s) => s.evaluatedTokens));
  return {
    label,
    turns: turns.length,
    promptPerTurn: Math.round(sum(turns.map((s) => s.promptTokens)) / turns.length),
    evaluated,
    evaluatedPerTurn: Math.round(evaluated / turns.length),
    summaries: stats.length - turns.length,
    peak: Math.max(...stats.map((s) => s.promptTokens)),
    context: Math.min(...stats.map((s) => s.contextLength)),
    status: result.status === 'completed' ? 'completed' : `${result.status}: ${result.reason}`,
  };
}

const naive = await measure('naive (every tool, no compaction)', '', { compaction: false, tools: 1000 });
const rein = await measure('Rein (default: results verbatim 1 turn, summaries in context)', '', { compaction: true });
const keep3 = await measure('Rein, results verbatim 3 turns', 'memory: { verbatim_turns: 3 }', { compaction: true });
const separate = await measure('Rein, summaries in a separate prompt', 'memory: { compact_mode: separate }', { compaction: true });
const unmasked = await measure('Rein without masking (verbatim_turns 100, as before)', 'memory: { verbatim_turns: 100 }', { compaction: true });
const pct = (value: number, base: number) => `${Math.round((100 * value) / base)}%`;
console.log(`${STEPS}-step workload, 3 MCP servers, tool results ~${RESULT_CHARS} B, num_ctx ${NUM_CTX}\n`);
console.log('| configuration | turns | prompt tokens/turn | evaluated tokens (total) | evaluated/turn | summary calls | peak prompt / loaded ctx | run |');
console.log('|---|---|---|---|---|---|---|---|');
for (const m of [naive, rein, keep3, separate, unmasked]) {
  const vsNaive = m === naive ? '' : ` (${pct(m.promptPerTurn, naive.promptPerTurn)})`;
  const evalVs = m === naive ? '' : ` (${pct(m.evaluated, naive.evaluated)})`;
  console.log(`| ${m.label} | ${m.turns} | ${m.promptPerTurn}${vsNaive} | ${m.evaluated}${evalVs} | ${m.evaluatedPerTurn} | ${m.summaries} | ${m.peak} / ${m.context} | ${m.status} |`);
}
fs.rmSync(dir, { recursive: true, force: true });
