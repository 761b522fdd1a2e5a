// The sandbox runs isolates in worker processes: whatever a guest does to its worker (memory past the limit,
// WebAssembly memory, a catastrophic isolate error, the process dying) fails only that call; the host and the
// other executions go on, and no worker outlives its host.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox, SandboxError, type SandboxRequest } from '../../../src/runtime/sandbox/index.ts';

const LIMITS = { memoryMb: 32, cpuTimeoutMs: 10_000, wallTimeoutMs: 60_000, maxOutputChars: 500, maxToolCalls: 5 };
const catastrophic: string[] = [];
const sandbox = new Sandbox(LIMITS, { workers: 3, onCatastrophic: (message) => catastrophic.push(message) });
afterAll(() => sandbox.close());

async function failure(request: SandboxRequest, on: Sandbox = sandbox): Promise<SandboxError> {
  const error = await on.run(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

/** Good executions (with a tool call over IPC) running next to a hostile one all succeed. */
async function alongside(hostile: Promise<SandboxError>): Promise<SandboxError> {
  const good = Array.from({ length: 4 }, (_, i) => sandbox.run({ code: 'return (await tools.twice({ n: input })) + 1', input: i, capabilities: { twice: async (args) => (args as { n: number }).n * 2 } }));
  const values = (await Promise.all(good)).map((result) => result.value);
  expect(values).toEqual([1, 3, 5, 7]);
  return hostile;
}

describe('sandbox worker processes', () => {
  it('runs guests outside the host process', async () => {
    await sandbox.run({ code: 'return 1' });
    expect(sandbox.workerPids.length).toBeGreaterThan(0);
    expect(sandbox.workerPids).not.toContain(process.pid);
  });

  it('WebAssembly memory counts against memory_mb: one memory past it is refused, many are stopped', async () => {
    const one = await failure({ code: 'const m = new WebAssembly.Memory({ initial: 16 * 1024 }); return m.buffer.byteLength' });
    expect(one.message).toMatch(/WebAssembly\.Memory\(\)|memory/);
    const grow = await failure({ code: 'const m = new WebAssembly.Memory({ initial: 1, maximum: 65536 }); for (;;) m.grow(16)' });
    expect(grow.message).toMatch(/grow|memory/i);
    // 32 MB memories touched page by page, kept alive: only the worker's memory watchdog stops this.
    const code = 'const keep = []; for (;;) { const m = new WebAssembly.Memory({ initial: 512 }); new Uint8Array(m.buffer).fill(1); keep.push(m) }';
    const many = await alongside(failure({ code }));
    expect(many.kind).toBe('memory');
    expect(many.message).toMatch(/sandbox\.memory_mb = 32.*WebAssembly/);
    await expect(sandbox.run({ code: 'return 2' })).resolves.toMatchObject({ value: 2 });
  });

  it('ArrayBuffers count against memory_mb', async () => {
    const error = await alongside(failure({ code: 'const keep = []; for (;;) keep.push(new Uint8Array(1 << 20).fill(1))' }));
    expect(['memory', 'thrown']).toContain(error.kind);
    expect(error.message).toMatch(/memory|Array buffer allocation failed/i);
  });

  it('a catastrophic out-of-memory ends its worker only; the next execution gets a new one', async () => {
    const code = 'const m = new Map(); let i = 0; for (;;) m.set(i++, { i })';
    const error = await alongside(failure({ code, limits: { memoryMb: 16 } }));
    expect(['crash', 'memory']).toContain(error.kind);
    if (error.kind === 'crash') expect(catastrophic.length).toBeGreaterThan(0);
    await expect(sandbox.run({ code: 'return 3', limits: { memoryMb: 16 } })).resolves.toMatchObject({ value: 3 });
  }, 120_000);

  it('a worker that dies mid-execution (a V8 abort) fails that call with a clear error and is replaced', async () => {
    const own = new Sandbox(LIMITS, { workers: 1 });
    try {
      await own.run({ code: 'return 0' });
      const [pid] = own.workerPids;
      const running = failure({ code: 'await new Promise(() => {})' }, own);
      await waitFor(() => fs.readFileSync(`/proc/${pid}/status`, 'utf8').includes('Threads'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(pid!, 'SIGABRT');
      const error = await running;
      expect(error.kind).toBe('crash');
      expect(error.message).toMatch(/sandbox worker process was killed by SIGABRT during the execution/);
      await expect(own.run({ code: 'return 4' })).resolves.toMatchObject({ value: 4 });
      expect(own.workerPids).not.toContain(pid);
    } finally {
      await own.close();
    }
  });

  it('a worker script that cannot start fails the call clearly, and is not restarted in a loop', async () => {
    process.env.REIN_SANDBOX_WORKER = '/nonexistent/sandbox-worker.js';
    const own = new Sandbox(LIMITS, { workers: 1 });
    delete process.env.REIN_SANDBOX_WORKER;
    try {
      const error = await failure({ code: 'return 1' }, own);
      expect(error.kind).toBe('crash');
      expect(error.message).toMatch(/sandbox worker process \(\/nonexistent\/sandbox-worker\.js\) could not start: it exited with code 1 \(Error: Cannot find module/);
      await waitFor(() => false, 500);
      expect(own.workerPids).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('aborting a call reaches the capability over IPC', async () => {
    const controller = new AbortController();
    let sawAbort = false;
    const slow = (_args: unknown, signal: AbortSignal) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => ((sawAbort = true), reject(new Error('stopped'))), { once: true }));
    const running = failure({ code: 'return await tools.slow({})', capabilities: { slow }, signal: controller.signal });
    await waitFor(() => false, 300);
    controller.abort(new Error('user stop'));
    const error = await running;
    expect(error.kind).toBe('aborted');
    await waitFor(() => sawAbort);
    expect(sawAbort).toBe(true);
  });

  it('close ends every worker, busy or idle', async () => {
    const own = new Sandbox(LIMITS, { workers: 2 });
    await Promise.all([own.run({ code: 'return 0' }), own.run({ code: 'return 0' })]);
    const pids = own.workerPids;
    expect(pids).toHaveLength(2);
    const hanging = own.run({ code: 'await new Promise(() => {})' });
    hanging.catch(() => undefined);
    await waitFor(() => false, 300);
    await own.close();
    await expect(hanging).rejects.toBeInstanceOf(SandboxError);
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(own.run({ code: 'return 1' })).rejects.toThrow(/closed/);
  });

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`no worker outlives a host killed with ${signal}`, async () => {
      const host = spawn(process.execPath, [path.join(import.meta.dirname, 'fixtures/busy-sandbox.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pids = await new Promise<number[]>((resolve, reject) => {
        let out = '';
        host.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(JSON.parse(out) as number[]);
        });
        host.once('exit', () => reject(new Error('the host ended early')));
      });
      expect(pids).toHaveLength(3);
      expect(pids.every(isAlive)).toBe(true);
      host.kill(signal);
      await waitFor(() => !pids.some(isAlive));
      expect(pids.filter(isAlive)).toEqual([]);
    }, 90_000);
  }
});

function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
