// Known escape techniques against JS sandboxes. Each must fail inside the sandbox, with the host untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, SandboxError, type SandboxCapability } from '../../../src/runtime/sandbox/index.ts';

const sandbox = new Sandbox({ memoryMb: 32, cpuTimeoutMs: 1000, wallTimeoutMs: 5000, maxOutputChars: 2000, maxToolCalls: 20 });
const capabilities: Record<string, SandboxCapability> = {
  echo: async (args) => args,
  fail: async () => {
    throw new TypeError('host failure');
  },
};

const PROCESS_PROBES = [
  "return this.constructor.constructor('return process')().pid",
  "return (function () { return this })().process.pid",
  "return console.log.constructor('return process')().pid",
  "return tools.echo.constructor('return process')().pid",
  "return input.constructor.constructor('return process')().pid",
  "try { await tools.fail({}) } catch (e) { return e.constructor.constructor('return process')().pid }",
  "try { null.x } catch (e) { return e.constructor.constructor('return process')().pid }",
  "const p = tools.echo({}); return p.constructor.constructor('return process')().pid",
  "return (async () => {}).constructor('return process')().then((p) => p.pid)",
  "return require('child_process').execSync('id').toString()",
  "return (await import('node:fs')).readFileSync('/etc/passwd', 'utf8')",
  "class Evil extends Array { static get [Symbol.species]() { return function () { return process } } } return new Evil(1, 2).map((x) => x).pid",
  "Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getThis && f.getThis()); try { await tools.fail({}) } catch (e) { return e.stack.map((t) => t && t.process && t.process.pid) }",
  "Error.prepareStackTrace = (e, frames) => frames; const frames = new Error().stack; return frames.map((f) => { const fn = f.getFunction(); return fn && fn.constructor('return process')().pid })",
  "function f() { return f.caller } const c = f(); return c && c.constructor('return process')().pid",
  "return arguments.callee.caller.constructor('return process')().pid",
  "return new Proxy({}, { get: () => process.pid })",
  "return [$0, $1, $2]",
  "return globalThis.__reinRun.toString()",
  "const r = Reflect.ownKeys(globalThis).map(String).filter((k) => /ivm|Reference|Callback|ExternalCopy|isolate/i.test(k)); if (r.length) return r; throw new Error('nothing to find')",
  "return WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => process.pid)",
  "return eval('process.pid')",
  "return new Function('return globalThis.process || globalThis.require || globalThis.ivm')().pid",
];

describe('sandbox escape corpus', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it.each(PROCESS_PROBES)('cannot reach the host: %s', async (code) => {
    const outcome = await sandbox.run({ code, capabilities }).then(
      (result) => ({ value: result.value }),
      (error: unknown) => ({ error }),
    );
    if ('error' in outcome) {
      expect(outcome.error).toBeInstanceOf(SandboxError);
    } else {
      const text = JSON.stringify(outcome.value) ?? '';
      expect(text).not.toContain(String(process.pid));
      expect(text).not.toContain('root:');
      expect(text).not.toMatch(/\$[0-3]|callRef|uid=/);
    }
  });

  it('prototype pollution and patched built-ins stay inside the isolate', async () => {
    const code = [
      "Object.prototype.polluted = 'yes'",
      'Array.prototype.map = null',
      "JSON.parse = () => ({ ok: true, value: 'forged' })",
      "JSON.stringify = () => '{\"ok\":true,\"value\":\"forged\"}'",
      'Promise.prototype.then = function () { globalThis.pwned = true }',
      'globalThis.pwned = true',
      'return 1',
    ].join('\n');
    await sandbox.run({ code, capabilities }).catch(() => undefined);
    expect(JSON.parse('{"a":1}')).toEqual({ a: 1 });
    expect([1].map((x) => x + 1)).toEqual([2]);
    // A fresh execution starts clean.
    await expect(sandbox.run({ code: "return [typeof pwned, ({}).polluted ?? null, await tools.echo({ x: 1 })]", capabilities })).resolves.toMatchObject({
      value: ['undefined', null, { x: 1 }],
    });
  });

  it('a host error reaches the guest as a guest-made Error with only its message', async () => {
    const result = await sandbox.run({
      code: "try { await tools.fail({}) } catch (e) { return [e instanceof Error, e.message, Object.getPrototypeOf(e) === Error.prototype] }",
      capabilities,
    });
    expect(result.value).toEqual([true, 'host failure', true]);
  });

  it('a guest cannot call tools it was not given, even by forging the name', async () => {
    const result = await sandbox.run({
      code: "let added; try { tools.fail = () => 1; added = typeof tools.fail } catch (e) { added = e.name } return { names: Object.keys(tools), added }",
      capabilities: { echo: capabilities.echo! },
    });
    expect(result.value).toEqual({ names: ['echo'], added: 'undefined' });
  });

  it('values cross by copy: the guest mutating a returned tool value never touches the host object', async () => {
    const shared = { count: 1 };
    const result = await sandbox.run({ code: 'const v = await tools.get({}); v.count = 99; v.extra = true; return v', capabilities: { get: async () => shared } });
    expect(result.value).toEqual({ count: 99, extra: true });
    expect(shared).toEqual({ count: 1 });
  });
});
