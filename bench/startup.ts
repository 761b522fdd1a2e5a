// Start-up: `rein --help` (wall and CPU time of the whole process) and `rein run` from spawn to its first model
// request (the scripted Ollama server notes when /api/chat arrives), with no MCP server configured.
// Usage: node bench/startup.ts   (BENCH_RUNS=5)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tempDir } from '../test/support/fixtures.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIN = path.resolve(import.meta.dirname, '../bin/rein.mjs');

function rein(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; started: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // A temp working folder: the repository's skills/ would need `rein trust`.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tempDir(), env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('exit', () => resolve({ wallMs: performance.now() - started, started }));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const help: number[] = [];
for (let i = 0; i < RUNS; i++) help.push((await rein(['--help'], {})).wallMs);

let firstChat = 0;
const ollama = await ScriptedOllama.start({
  replies: () => {
    firstChat ||= performance.now();
    return { content: 'done' };
  },
});
const firstRequest: number[] = [];
for (let i = 0; i < RUNS; i++) {
  firstChat = 0;
  const { started } = await rein(['run', 'say done'], { REIN_HOME: tempDir('rein-startup-'), OLLAMA_HOST: ollama.url });
  if (firstChat) firstRequest.push(firstChat - started);
}
await ollama.close();
console.log(`rein --help (whole process):        median ${median(help).toFixed(0)} ms wall over ${RUNS}`);
console.log(`rein run → first model request:     median ${firstRequest.length ? median(firstRequest).toFixed(0) : 'n/a'} ms over ${firstRequest.length}`);
