// Sandbox execution latency through the worker pool: cold (first execution: starts a worker process and loads
// isolated-vm), warm (a fresh isolate per execution in a running worker: IPC round trip + isolate), with one
// tool call (guest → host → guest over IPC), and the first execution after a worker was lost (replacement) —
// versus spawning a Node child process for the same code.
// Usage: node bench/sandbox-latency.ts   (BENCH_RUNS=50 by default)
import { spawn } from 'node:child_process';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const CODE = 'const xs = Array.from({ length: 1000 }, (_, i) => i * input.k); return xs.reduce((a, b) => a + b, 0);';
const TOOL_CODE = `return (await tools.k({})) * 0 + (() => { ${CODE} })();`;
const INPUT = { k: 3 };
const EXPECTED = 1_498_500;

function percentile(values: number[], q: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
}

function childRun(): Promise<number> {
  const script = `const input = ${JSON.stringify(INPUT)}; process.stdout.write(JSON.stringify((() => { ${CODE} })()))`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(JSON.parse(out) as number));
  });
}

async function timed(runs: number, once: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    if ((await once()) !== EXPECTED) throw new Error('unexpected result');
    times.push(performance.now() - started);
  }
  return times;
}

const { Sandbox } = await import('../src/runtime/sandbox/index.ts');
const sandbox = new Sandbox({ memoryMb: 64, cpuTimeoutMs: 2000, wallTimeoutMs: 10_000, maxOutputChars: 16_000, maxToolCalls: 50 }, { workers: 1 });
const capabilities = { k: async () => 1 };
const execute = (code: string) => async () => (await sandbox.run({ code, input: INPUT, capabilities })).value;

const [cold] = await timed(1, execute(CODE));
const warm = await timed(RUNS, execute(CODE));
const withTool = await timed(RUNS, execute(TOOL_CODE));
const replaced: number[] = [];
for (let i = 0; i < 5; i++) {
  const [pid] = sandbox.workerPids;
  process.kill(pid!, 'SIGKILL');
  while (sandbox.workerPids.includes(pid!)) await new Promise((resolve) => setTimeout(resolve, 1));
  replaced.push(...(await timed(1, execute(CODE))));
}
await sandbox.close();
const child = await timed(Math.min(RUNS, 20), childRun);

console.log(`sandbox cold (first execution: worker start + isolated-vm load): ${cold!.toFixed(2)} ms`);
console.log(`sandbox warm (fresh isolate in a running worker, ${RUNS} runs): p50 ${percentile(warm, 0.5)} ms, p95 ${percentile(warm, 0.95)} ms`);
console.log(`sandbox warm with one tool call over IPC (${RUNS} runs): p50 ${percentile(withTool, 0.5)} ms, p95 ${percentile(withTool, 0.95)} ms`);
console.log(`execution right after its worker was killed, waiting for the replacement (${replaced.length} times): p50 ${percentile(replaced, 0.5)} ms`);
console.log(`node child process (${child.length} spawns): p50 ${percentile(child, 0.5)} ms, p95 ${percentile(child, 0.95)} ms`);
