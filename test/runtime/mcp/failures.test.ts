// Servers that crash mid-call, hang, print garbage or never start: each gets a clear status and reason,
// and none blocks the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startMcp, stdioServer, type McpHarness } from './helpers.ts';

describe('MCP failure handling', () => {
  let h: McpHarness;
  beforeAll(async () => {
    h = await startMcp(
      [
        'runtime: { tool_timeout_s: 1.5 }',
        'mcp_servers:',
        stdioServer('fx', FIXTURE, ['tools']),
        stdioServer('banner', FIXTURE, ['garbage']),
        stdioServer('junk', FIXTURE, ['garbage-only'], '    timeout_s: 4\n'),
        stdioServer('silent', FIXTURE, ['silent'], '    timeout_s: 4\n'),
        '  - name: missing\n    command: rein-no-such-mcp-server\n',
        '  - name: off\n    command: whatever\n    enabled: false\n',
      ].join('\n'),
    );
  });
  afterAll(() => h.close());

  it('starts all servers concurrently; the broken ones fail with reasons, the good ones are ready', () => {
    expect(h.status('fx').state).toBe('ready');
    expect(h.status('banner').state).toBe('ready');
    expect(h.status('off')).toMatchObject({ state: 'disabled', tools: [] });
    expect(h.status('missing')).toMatchObject({ state: 'failed', reason: expect.stringContaining('cannot start `rein-no-such-mcp-server`') });
    const silent = h.status('silent');
    expect(silent).toMatchObject({ state: 'failed', reason: expect.stringContaining('no answer to the initialize request within 4s') });
    expect(silent.reason).toContain('loading a huge index');
    expect(silent.stderr).toEqual(['fixture: loading a huge index, please wait']);
    const junk = h.status('junk');
    expect(junk.state).toBe('failed');
    expect(junk.reason).toMatch(/last protocol error: .*JSON/i);
    const failed = h.system.filter((e) => e.type === 'mcp.server.status' && e.state === 'failed').map((e) => (e as { server: string }).server);
    expect(failed.sort()).toEqual(['junk', 'missing', 'silent']);
  });

  it('maps isError results to tool errors the model sees', async () => {
    expect(await h.call('fx__fail')).toMatchObject({ ok: false, error: expect.stringContaining('disk quota exceeded') });
  });

  it('keeps colliding names apart and maps each back to the exact server tool', async () => {
    const names = h.status('fx').tools.filter((t) => t.tool.startsWith('dot')).map((t) => [t.name, t.tool]);
    expect(names).toEqual([
      ['fx__dot_name', 'dot.name'],
      ['fx__dot_name_2', 'dot_name'],
    ]);
    expect((await h.call('fx__dot_name')).output).toBe('called dot.name');
    expect((await h.call('fx__dot_name_2')).output).toBe('called dot_name');
  });

  it('refreshes the tool list on tools/list_changed', async () => {
    const appeared = new Promise<void>((resolve) => {
      const off = h.runtime.registry.onChange(() => {
        if (h.runtime.registry.get('fx__grown')) {
          off();
          resolve();
        }
      });
    });
    expect((await h.call('fx__grow')).output).toBe('grown');
    await appeared;
    expect((await h.call('fx__grown')).output).toBe('called grown');
  });

  it('times out a hung call and cancels it on the server', async () => {
    const result = await h.call('fx__hang');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('timed out after 1.5s');
    expect((await h.call('fx__cancellations')).output).toBe('1');
  });

  it('explains a crash mid-call with the server stderr and restarts the server', async () => {
    const result = await h.call('fx__crash');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('MCP server "fx" stopped during the call: the server process exited');
    expect(result.error).toContain('simulated out-of-memory');
    const status = await h.waitFor('fx', 'ready', 1);
    expect(status.restarts).toBe(1);
    expect(h.system).toContainEqual(expect.objectContaining({ type: 'mcp.server.status', server: 'fx', state: 'reconnecting', reason: expect.stringContaining('simulated out-of-memory') }));
    expect((await h.call('fx__echo', { text: 'back' })).output).toBe('echo: back');
  });

  it('a server that printed garbage before speaking the protocol still works', async () => {
    expect((await h.call('banner__echo', { text: 'ok' })).output).toBe('echo: ok');
  });
});
