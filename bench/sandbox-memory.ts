// Sandbox memory bound (issue 13 item 6): parallel executions that fill WebAssembly memories forever, under the
// default limits (memory_mb 64, 2 workers). Reports each call's error and the peak resident size of one worker,
// of all workers together (sampled every 2 ms from /proc, so Linux only) and of this host process.
// Usage: node bench/sandbox-memory.ts   (BENCH_CALLS=4 by default)
import fs from 'node:fs';

const CALLS = Number(process.env.BENCH_CALLS ?? 4);
const CODE = 'const keep = []; for (;;) { const m = new WebAssembly.Memory({ initial: 1024 }); new Uint8Array(m.buffer).fill(1); keep.push(m) }';

const { Sandbox } = await import('../src/runtime/sandbox/index.ts');
const sandbox = new Sandbox({ memoryMb: 64, cpuTimeoutMs: 2000, wallTimeoutMs: 10_000, maxOutputChars: 1000, maxToolCalls: 5 });

function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
}

let peakAll = 0;
let peakOne = 0;
const sampler = setInterval(() => {
  const sizes = sandbox.workerPids.map(rssMb);
  peakAll = Math.max(peakAll, sizes.reduce((a, b) => a + b, 0));
  peakOne = Math.max(peakOne, ...sizes, 0);
}, 2);
const outcomes = await Promise.all(
  Array.from({ length: CALLS }, () => sandbox.run({ code: CODE }).then(
    () => 'completed (unexpected)',
    (error: { kind: string; message: string }) => `${error.kind}: ${error.message.split('\n')[0]}`,
  )),
);
clearInterval(sampler);
await sandbox.close();

for (const outcome of outcomes) console.log(`call: ${outcome}`);
console.log(`peak resident size: one worker ${Math.round(peakOne)} MB, all workers ${Math.round(peakAll)} MB, host process ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB`);
