// A desktop chat on a local model: one conversation of follow-up questions (each a run that continues the last),
// with memory on (recall at each run start, a session note after each run) and the default tools. What the model
// server must evaluate when each new message arrives — the time before the answer starts — against the scripted
// Ollama server simulating llama.cpp's prompt cache (one slot: the last prompt and its reply).
// Usage: node bench/conversation-cost.ts   (BENCH_TURNS=8)
import { Runtime, createRuntimeApi } from '../src/runtime/index.ts';
import { testConfig } from '../test/support/fixtures.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';

const TURNS = Number(process.env.BENCH_TURNS ?? 8);
const QUESTIONS = [
  'What is a good name for a small bakery in Lyon?',
  'And a slogan for it?',
  'Make the slogan shorter.',
  'Translate it to French.',
  'Which opening hours would suit a bakery near a station?',
  'Write a one-line sign for the door with those hours.',
  'Now suggest three breads for the first week.',
  'Summarise everything we decided in two sentences.',
];

const ollama = await ScriptedOllama.start({ prefixCache: true, replies: (_request, i) => ({ content: `Answer ${i}: ${'a thoughtful reply with a few details. '.repeat(8)}` }) });
const runtime = new Runtime({ config: testConfig('model: { num_ctx: 8192 }', ollama.url), trace: false });
await runtime.start();
const api = createRuntimeApi(runtime);
const perTurn: { prompt: number; evaluated: number }[] = [];
let last: string | undefined;
for (let i = 0; i < TURNS; i++) {
  const from = ollama.promptStats.length;
  const { runId } = await api.runs.start({ goal: QUESTIONS[i % QUESTIONS.length]!, ...(last ? { continueFrom: last } : {}) });
  await runtime.getRun(runId)!.result;
  const first = ollama.promptStats[from]!;
  perTurn.push({ prompt: first.promptTokens, evaluated: first.evaluatedTokens });
  last = runId;
}
await runtime.close();
await ollama.close();
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
console.log(`${TURNS}-message conversation, memory on, default tools`);
console.log('| message | prompt tokens | evaluated before the answer starts |\n|---|---|---|');
perTurn.forEach((t, i) => console.log(`| ${i + 1} | ${t.prompt} | ${t.evaluated} |`));
console.log(`| total (follow-ups) | ${sum(perTurn.slice(1).map((t) => t.prompt))} | ${sum(perTurn.slice(1).map((t) => t.evaluated))} |`);
