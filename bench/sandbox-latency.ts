// Sandbox execution latency: cold (first execution in the process, loads isolated-vm) and warm (a fresh
// isolate per execution, steady state) versus spawning a Node child process for the same code.
// Usage: node --no-node-snapshot bench/sandbox-latency.ts   (BENCH_RUNS=50 by default)
import { spawn } from 'node:child_process';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const CODE = 'const xs = Array.from({ length: 1000 }, (_, i) => i * input.k); return xs.reduce((a, b) => a + b, 0);';
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

const coldStarted = performance.now();
const { Sandbox } = await import('../src/runtime/sandbox/index.ts');
const sandbox = new Sandbox({ memoryMb: 64, cpuTimeoutMs: 2000, wallTimeoutMs: 10_000, maxOutputChars: 16_000, maxToolCalls: 50 });
const first = await sandbox.run({ code: CODE, input: INPUT });
const cold = performance.now() - coldStarted;
if (first.value !== EXPECTED) throw new Error(`unexpected result ${String(first.value)}`);

const warm: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const result = await sandbox.run({ code: CODE, input: INPUT });
  warm.push(performance.now() - started);
  if (result.value !== EXPECTED) throw new Error('unexpected result');
}

const child: number[] = [];
for (let i = 0; i < Math.min(RUNS, 20); i++) {
  const started = performance.now();
  if ((await childRun()) !== EXPECTED) throw new Error('unexpected child result');
  child.push(performance.now() - started);
}

console.log(`sandbox cold (first execution, incl. loading isolated-vm): ${cold.toFixed(2)} ms`);
console.log(`sandbox warm (fresh isolate each, ${RUNS} runs): p50 ${percentile(warm, 0.5)} ms, p95 ${percentile(warm, 0.95)} ms`);
console.log(`node child process (${child.length} spawns): p50 ${percentile(child, 0.5)} ms, p95 ${percentile(child, 0.95)} ms`);
