// Start-up: `rein --help` (wall time of the whole process) and `rein run` from spawn to its first model request (the
// scripted Ollama server notes when /api/chat arrives), with no MCP server configured and a fresh data dir each run.
// Each is measured for the bundle in out/cli (`npm run build`; what bin/rein.mjs runs when it is there and fresh) and
// for the TypeScript sources (REIN_FROM_SOURCE=1), alternating so both see the same machine load.
// `auto` is the bundle with no provider configured: the local sources are probed before the first request.
// Usage: node bench/startup.ts   (BENCH_RUNS=5)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../test/support/fixtures.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/rein.mjs');

function rein(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; started: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // A temp working folder: the repository's skills/ would need `rein trust`.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tempDir(), env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('exit', () => resolve({ wallMs: performance.now() - started, started }));
  });
}

const median = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(0) : 'n/a');

// `auto`: no provider and no OLLAMA_HOST — Rein probes the local ports first (Ollama answers; the LM Studio port is closed).
const modes = { bundle: {}, sources: { REIN_FROM_SOURCE: '1' }, auto: { AUTO: '1' } } as const;
if (!fs.existsSync(path.join(ROOT, 'out/cli/sources.json'))) {
  console.log('no bundle in out/cli (run `npm run build`): "bundle" below runs the sources too');
}
const help = { bundle: [] as number[], sources: [] as number[], auto: [] as number[] };
const firstRequest = { bundle: [] as number[], sources: [] as number[], auto: [] as number[] };

let firstChat = 0;
const ollama = await ScriptedOllama.start({
  replies: () => {
    firstChat ||= performance.now();
    return { content: 'done' };
  },
});
// One unmeasured start each, so Node's compile cache is warm as it is for a user.
for (const env of Object.values(modes)) await rein(['--help'], env);
for (let i = 0; i < RUNS; i++) {
  for (const [mode, env] of Object.entries(modes) as [keyof typeof modes, NodeJS.ProcessEnv][]) {
    help[mode].push((await rein(['--help'], env)).wallMs);
    firstChat = 0;
    const model = 'AUTO' in env ? { REIN_AUTO_PROBE: `ollama=${ollama.url},lmstudio=http://127.0.0.1:1/v1` } : { OLLAMA_HOST: ollama.url };
    const { started } = await rein(['run', 'say done'], { ...env, REIN_HOME: tempDir('rein-startup-'), ...model });
    if (firstChat) firstRequest[mode].push(firstChat - started);
  }
}
await ollama.close();
console.log(`load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')} (${os.cpus().length} CPUs); median over ${RUNS} runs`);
for (const mode of Object.keys(modes) as (keyof typeof modes)[]) {
  console.log(`${mode.padEnd(8)} rein --help (whole process): ${median(help[mode]).padStart(5)} ms wall   rein run → first model request: ${median(firstRequest[mode]).padStart(5)} ms`);
}
