// Denial-of-service payloads: each is stopped with a clear error and the host keeps serving.
import { describe, expect, it } from 'vitest';
import { Sandbox, SandboxError, type SandboxFailure, type SandboxLimits } from '../../../src/runtime/sandbox/index.ts';

// A generous wall clock so CPU-bound payloads hit the CPU limit even on a loaded machine; payloads that only
// wait get a short one per request, and memory payloads a generous CPU limit (garbage collection near the heap
// limit costs CPU time, more so on a loaded machine).
const sandbox = new Sandbox({ memoryMb: 32, cpuTimeoutMs: 300, wallTimeoutMs: 60_000, maxOutputChars: 500, maxToolCalls: 5 });
const SHORT_WALL: Partial<SandboxLimits> = { wallTimeoutMs: 1000 };
const MEMORY_CPU: Partial<SandboxLimits> = { cpuTimeoutMs: 10_000 };
const capabilities = { echo: async (args: unknown) => args };

async function failure(code: string, limits?: typeof SHORT_WALL): Promise<SandboxError> {
  const error = await sandbox.run({ code, capabilities, ...(limits ? { limits } : {}) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

const PAYLOADS: [string, string, SandboxFailure[], RegExp, (typeof SHORT_WALL)?][] = [
  ['infinite loop', 'while (true) {}', ['cpu-timeout'], /cpu_timeout_ms/],
  ['infinite loop after an await', 'await tools.echo({}); for (;;) {}', ['cpu-timeout'], /cpu_timeout_ms/],
  ['memory exhaustion', 'const a = []; for (;;) a.push(new Array(100000).fill(7))', ['memory'], /memory_mb/, MEMORY_CPU],
  ['string doubling', "let s = 'x'; for (;;) s += s", ['memory', 'thrown'], /memory|Invalid string length/],
  ['a huge ArrayBuffer', 'const b = new ArrayBuffer(2 ** 31); return b.byteLength', ['memory', 'thrown'], /memory|Array buffer allocation failed|Invalid array buffer length/i],
  ['microtask flood', 'const f = () => Promise.resolve().then(f); f(); await new Promise(() => {})', ['cpu-timeout', 'memory'], /cpu_timeout_ms|memory_mb/],
  ['promise allocation flood', 'for (;;) new Promise(() => {})', ['cpu-timeout', 'memory'], /cpu_timeout_ms|memory_mb/],
  ['a promise that never settles', 'await new Promise(() => {})', ['wall-timeout'], /wall_timeout_ms/, SHORT_WALL],
  ['Atomics.wait forever', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 1', ['wall-timeout', 'cpu-timeout', 'thrown'], /timeout_ms|Atomics|not allowed/, SHORT_WALL],
  ['stack overflow', 'const f = () => f(); f()', ['thrown'], /Maximum call stack/],
  ['a thrown Proxy whose traps throw', 'throw new Proxy({}, { get() { throw 1 }, getPrototypeOf() { throw 2 } })', ['thrown'], /threw thrown/],
  ['a thrown object whose getter loops', 'throw { get message() { for (;;) {} } }', ['cpu-timeout'], /cpu_timeout_ms/],
  ['a thrown Symbol', "throw Symbol('boom')", ['thrown'], /Symbol\(boom\)/],
  ['a thrown error subclass with a looping name', 'class E extends Error { get name() { for (;;) {} } } throw new E()', ['cpu-timeout'], /cpu_timeout_ms/],
  ['a tool-call flood', 'await Promise.all(Array.from({ length: 100 }, () => tools.echo({})))', ['thrown'], /max_tool_calls/],
  ['a BigInt result', 'return 10n', ['thrown'], /BigInt/],
];

describe('sandbox DoS payloads', () => {
  it.each(PAYLOADS)('%s is stopped', async (_label, code, kinds, message, limits) => {
    const error = await failure(code, limits);
    expect(kinds).toContain(error.kind);
    expect(error.message).toMatch(message);
  });

  it('console floods are cut at the cap and the loop is stopped', async () => {
    const error = await failure("for (;;) console.log('spam '.repeat(20))");
    expect(error.kind).toBe('cpu-timeout');
    expect(error.console.length).toBeLessThan(700);
    expect(error.console).toContain('[console output cut at 500 characters]');
  });

  it('an abort signal stops a running execution', async () => {
    const controller = new AbortController();
    const running = sandbox.run({ code: 'await new Promise(() => {})', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user stop')), 50);
    await expect(running).rejects.toMatchObject({ kind: 'aborted', message: expect.stringContaining('user stop') });
  });

  it('keeps serving: concurrent good executions succeed next to hostile ones', async () => {
    const hostile = [failure('while (true) {}'), failure('const a = []; for (;;) a.push(new Array(100000).fill(7))')];
    const good = Array.from({ length: 4 }, (_, i) => sandbox.run({ code: 'return input * 2', input: i }));
    const values = (await Promise.all(good)).map((r) => r.value);
    await Promise.all(hostile);
    expect(values).toEqual([0, 2, 4, 6]);
  });
});
