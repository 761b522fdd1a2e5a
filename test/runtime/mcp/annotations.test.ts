// MCP tool annotations are hints from an untrusted party: readOnlyHint makes a tool `read` (allowed by the default
// policy) only on a server marked `trust_annotations: true`, and never together with destructiveHint. Checked with
// the real policy and fixture server, for direct calls and for calls from inside run_js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserQuestion } from '../../../src/common/index.ts';
import { McpService, Runtime } from '../../../src/runtime/index.ts';
import { isAllowed } from '../../../src/runtime/mcp/adapter.ts';
import { PolicyExtension } from '../../../src/runtime/policy/index.ts';
import { Sandbox, runJsTool } from '../../../src/runtime/sandbox/index.ts';
import { testConfig } from '../../support/fixtures.ts';
import { FIXTURE, stdioServer } from './helpers.ts';

describe('MCP annotations are untrusted hints', () => {
  let runtime: Runtime;
  const questions: UserQuestion[] = [];
  beforeAll(async () => {
    const yaml = `mcp_servers:\n${stdioServer('plain', FIXTURE)}${stdioServer('trusted', FIXTURE, [], '    trust_annotations: true\n')}`;
    const sandbox = new Sandbox({ memoryMb: 32, cpuTimeoutMs: 1000, wallTimeoutMs: 20_000, maxOutputChars: 4000, maxToolCalls: 10 });
    runtime = new Runtime({
      config: testConfig(yaml, 'http://127.0.0.1:9'),
      extensions: [new PolicyExtension({ pollMs: 50 }), new McpService()],
      tools: [runJsTool(sandbox, { wallTimeoutMs: 20_000, tools: ['plain__delete_everything', 'trusted__delete_everything', 'trusted__echo'] })],
      trace: false,
      ask: async (question) => {
        questions.push(question);
        return { action: 'decline', reason: 'not approved in this test' };
      },
    });
    await runtime.start();
  }, 60_000);
  afterAll(() => runtime.close());

  const call = (name: string, args: Record<string, unknown> = {}) =>
    runtime.guard.invoke({ id: `c-${Math.random()}`, name, arguments: args }, { runId: 'r1', step: 1, signal: new AbortController().signal, emit: () => undefined });
  const asked = (tool: string) => questions.filter((q) => q.title === `Allow ${tool}?`).length;

  it('readOnlyHint counts only for trusted servers; contradicting hints mean write', () => {
    const capability = (name: string) => runtime.registry.get(name)?.capability;
    expect(capability('plain__echo')).toBe('write');
    expect(capability('trusted__echo')).toBe('read');
    expect(capability('plain__delete_everything')).toBe('write');
    expect(capability('trusted__delete_everything')).toBe('write');
  });

  it('a tool claiming to be read-only and destructive needs approval under the default policy', async () => {
    for (const name of ['plain__delete_everything', 'trusted__delete_everything', 'plain__echo']) {
      const result = await call(name, name.endsWith('echo') ? { text: 'x' } : {});
      expect(result.ok, name).toBe(false);
      expect(asked(name), name).toBe(1);
    }
    expect(await call('trusted__echo', { text: 'x' })).toMatchObject({ ok: true, output: 'echo: x' });
    expect(asked('trusted__echo')).toBe(0);
  });

  it("a server's tool filter matches names case-insensitively", () => {
    expect(isAllowed('Transfer', { deny: ['transfer'] })).toBe(false);
    expect(isAllowed('DELETE_all', { allow: ['read_*'] })).toBe(false);
    expect(isAllowed('Read_File', { allow: ['read_*'] })).toBe(true);
  });

  it('also when called from inside run_js', async () => {
    const before = asked('trusted__delete_everything');
    const result = await call('run_js', { code: 'try { return await tools.trusted__delete_everything({}) } catch (e) { return "refused: " + e.message }' });
    expect(JSON.parse(result.output!).value).toMatch(/^refused: /);
    expect(asked('trusted__delete_everything')).toBe(before + 1);
  });
});
