// Guest tool calls take the same guarded path as the model's: events, middleware (policy), validation, timeout.
import { describe, expect, it } from 'vitest';
import type { RunEventInput } from '../../../src/common/index.ts';
import { Sandbox, runJsTool } from '../../../src/runtime/sandbox/index.ts';
import { ToolGuard, ToolRegistry } from '../../../src/runtime/tools/index.ts';
import { addTool, echoTool, hangingTool } from '../../support/fixtures.ts';

function setup(allowed: string[]) {
  const sandbox = new Sandbox({ memoryMb: 32, cpuTimeoutMs: 1000, wallTimeoutMs: 5000, maxOutputChars: 2000, maxToolCalls: 10 });
  const registry = new ToolRegistry();
  const seen = { aborted: false };
  [addTool, echoTool(), echoTool('secret'), { ...hangingTool(seen), timeoutMs: 200 }, runJsTool(sandbox, { wallTimeoutMs: 5000, tools: allowed })].forEach((t) => registry.add(t));
  const guard = new ToolGuard({ registry, timeoutMs: 10_000, maxOutputChars: 2000 });
  const events: RunEventInput[] = [];
  const runJs = (code: string) =>
    guard.invoke({ id: 'outer', name: 'run_js', arguments: { code } }, { runId: 'r1', step: 1, signal: new AbortController().signal, emit: (e) => events.push(e) });
  return { guard, events, runJs, seen };
}

describe('sandbox tools through the guard', () => {
  it('nested calls emit their own events, pass middleware and validation, and only allowed tools exist', async () => {
    const { guard, events, runJs } = setup(['add', 'echo', 'hang']);
    const calls: string[] = [];
    guard.use(async (call, next) => {
      calls.push(call.tool.name);
      return call.tool.name === 'echo' ? { ok: false, error: 'denied by policy', durationMs: 0 } : next();
    });
    const result = await runJs(
      'const sum = await tools.add({ a: 2, b: 3 }); const errors = []; ' +
        'for (const f of [() => tools.echo({ text: "x" }), () => tools.add({ a: "x" }), () => tools.secret({ text: "x" })]) { try { await f() } catch (e) { errors.push(e.message) } } ' +
        'return { sum, errors }',
    );
    expect(result.ok).toBe(true);
    const { value } = JSON.parse(result.output!);
    expect(value.sum).toBe(5);
    expect(value.errors[0]).toBe('denied by policy');
    expect(value.errors[1]).toMatch(/a|b/);
    expect(value.errors[2]).toBe('tools.secret is not a function');
    expect(calls).toEqual(['run_js', 'add', 'echo']); // invalid arguments are refused before the middleware
    expect(events.map((e) => `${e.type}:${(e as { name: string }).name}`)).toEqual([
      'tool.called:run_js',
      'tool.called:add', 'tool.result:add',
      'tool.called:echo', 'tool.result:echo',
      'tool.called:add', 'tool.result:add',
      'tool.result:run_js',
    ]);
  });

  it("a nested call's own timeout applies and reaches the guest as an error", async () => {
    const { runJs, seen } = setup(['hang']);
    const result = await runJs('try { await tools.hang({}) } catch (e) { return e.message }');
    expect(JSON.parse(result.output!).value).toMatch(/tool hang timed out/);
    expect(seen.aborted).toBe(true);
  });
});

describe('sandbox stop ends nested calls', () => {
  it('when the wall clock runs out, a tool call still in flight is aborted too', async () => {
    const sandbox = new Sandbox({ memoryMb: 32, cpuTimeoutMs: 1000, wallTimeoutMs: 300, maxOutputChars: 2000, maxToolCalls: 10 });
    const registry = new ToolRegistry();
    const seen = { aborted: false };
    registry.add(hangingTool(seen));
    registry.add(runJsTool(sandbox, { wallTimeoutMs: 300, tools: ['hang'] }));
    const guard = new ToolGuard({ registry, timeoutMs: 10_000, maxOutputChars: 2000 });
    const events: RunEventInput[] = [];
    const result = await guard.invoke({ id: 'c', name: 'run_js', arguments: { code: 'await tools.hang({})' } }, { runId: 'r', step: 1, signal: new AbortController().signal, emit: (e) => events.push(e) });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('sandbox.wall_timeout_ms') });
    await expect.poll(() => seen.aborted).toBe(true);
    await expect.poll(() => events.some((e) => e.type === 'tool.result' && e.name === 'hang')).toBe(true);
  });
});
