import { describe, expect, it } from 'vitest';
import type { RunEventInput } from '../../../src/common/index.ts';
import { ToolGuard, ToolRegistry, type Tool } from '../../../src/runtime/tools/index.ts';
import { addTool, echoTool, hangingTool } from '../../support/fixtures.ts';

function setup(tools: Tool[], options: { timeoutMs?: number; maxOutputChars?: number } = {}) {
  const registry = new ToolRegistry();
  tools.forEach((t) => registry.add(t));
  const guard = new ToolGuard({ registry, timeoutMs: options.timeoutMs ?? 1000, maxOutputChars: options.maxOutputChars ?? 1000 });
  const events: RunEventInput[] = [];
  const invoke = (name: string, args: unknown, signal = new AbortController().signal) =>
    guard.invoke({ id: 'c1', name, arguments: args }, { runId: 'r', step: 1, signal, emit: (e) => events.push(e) });
  return { guard, registry, events, invoke };
}

describe('guarded tool path', () => {
  it('runs a tool and emits tool.called then tool.result with timing', async () => {
    const { invoke, events } = setup([addTool]);
    const result = await invoke('add', { a: 2, b: 3 });
    expect(result).toMatchObject({ ok: true, output: '5', name: 'add', callId: 'c1' });
    expect(events.map((e) => e.type)).toEqual(['tool.called', 'tool.result']);
    expect(events[1]).toMatchObject({ ok: true, output: '5', durationMs: expect.any(Number) });
  });

  it('repairs arguments sent as a JSON string and says so', async () => {
    const { invoke, events } = setup([addTool]);
    expect(await invoke('add', '{"a": 1, "b": 2}')).toMatchObject({ ok: true, output: '3' });
    expect(events[0]).toMatchObject({ args: { a: 1, b: 2 }, repaired: 'arguments were a JSON string' });
  });

  it('coerces argument types when unambiguous', async () => {
    const { invoke } = setup([addTool]);
    expect(await invoke('add', { a: '4', b: 1 })).toMatchObject({ ok: true, output: '5' });
  });

  it('wraps a bare value for a one-property tool', async () => {
    const { invoke } = setup([echoTool()]);
    expect(await invoke('echo', 'hi')).toMatchObject({ ok: true, output: 'echo: hi' });
  });

  it('resolves a wrong-case or prefixed tool name', async () => {
    const { invoke, events } = setup([addTool]);
    expect(await invoke('functions.ADD', { a: 1, b: 1 })).toMatchObject({ ok: true, name: 'add' });
    expect(events[0]).toMatchObject({ name: 'add', repaired: expect.stringContaining('resolved to "add"') });
  });

  it('returns an unknown tool to the model as an error listing the real tools', async () => {
    const { invoke } = setup([addTool, echoTool()]);
    const result = await invoke('multiply', { a: 1 });
    expect(result).toMatchObject({ ok: false, error: 'unknown tool "multiply". Available tools: add, echo' });
  });

  it('returns schema violations as a tool error naming the problem', async () => {
    const { invoke } = setup([addTool]);
    const missing = await invoke('add', { a: 1 });
    expect(missing.ok).toBe(false);
    expect(missing.error).toContain('missing required property "b"');
    const extra = await invoke('add', { a: 1, b: 2, c: 3 });
    expect(extra.error).toContain('unexpected property "c"');
    const junk = await invoke('add', 'not json at all');
    expect(junk.error).toContain('expected a JSON object of arguments');
  });

  it('captures a thrown error as a failed result', async () => {
    const failing: Tool = { ...echoTool('boom'), run: async () => { throw new RangeError('disk on fire'); } };
    const { invoke } = setup([failing]);
    expect(await invoke('boom', { text: 'x' })).toMatchObject({ ok: false, error: 'RangeError: disk on fire' });
  });

  it('times out a hanging tool and aborts its signal', async () => {
    const seen = { aborted: false };
    const { invoke } = setup([hangingTool(seen)], { timeoutMs: 50 });
    const result = await invoke('hang', {});
    expect(result).toMatchObject({ ok: false, error: 'TimeoutError: tool hang timed out after 50 ms' });
    expect(seen.aborted).toBe(true);
  });

  it('caps long output with a visible notice', async () => {
    const big: Tool = { ...echoTool('big'), run: async () => 'y'.repeat(5000) };
    const { invoke } = setup([big], { maxOutputChars: 300 });
    const result = await invoke('big', { text: '' });
    expect(result.truncated).toBe(true);
    expect(result.output).toMatch(/^y{300}\n\[output truncated by Rein: showing the first 300 of 5000 characters\]$/);
  });

  it('runs middleware around every call; a middleware can refuse a call', async () => {
    const { guard, invoke } = setup([addTool]);
    const seen: string[] = [];
    guard.use(async (call, next) => {
      seen.push(call.tool.name);
      if (call.args.a === 666) return { ok: false, error: 'denied by test policy', durationMs: 0 };
      return next();
    });
    expect(await invoke('add', { a: 1, b: 1 })).toMatchObject({ ok: true });
    expect(await invoke('add', { a: 666, b: 1 })).toMatchObject({ ok: false, error: 'denied by test policy' });
    expect(seen).toEqual(['add', 'add']);
  });

  it("the duration is the tool's execution only, not the time a middleware waited (an approval)", async () => {
    const { guard, invoke, events } = setup([addTool]);
    guard.use(async (_call, next) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return next();
    });
    expect(await invoke('add', { a: 1, b: 1 })).toMatchObject({ ok: true });
    expect((events[1] as { durationMs: number }).durationMs).toBeLessThan(400);
  });

  it('rejects tool names models cannot use and duplicate names', () => {
    const registry = new ToolRegistry();
    expect(() => registry.add({ ...addTool, name: 'has space' })).toThrow(/not allowed/);
    registry.add(addTool);
    expect(() => registry.add(addTool)).toThrow(/already registered/);
  });
});
