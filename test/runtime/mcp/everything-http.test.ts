// server-everything over HTTP: Streamable HTTP, and the legacy SSE transport reached by the 4xx fallback.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEverythingHttp, startMcp, type McpHarness } from './helpers.ts';

describe.each([
  { mode: 'streamableHttp' as const, path: '/mcp', transport: 'streamable-http', extra: '' },
  { mode: 'sse' as const, path: '/sse', transport: 'sse', extra: '' },
  { mode: 'sse' as const, path: '/sse', transport: 'sse', extra: '    transport: sse\n' },
])('MCP over HTTP: server-everything $mode at $path $extra', ({ mode, path, transport, extra }) => {
  let server: { url: string; child: ChildProcess };
  let h: McpHarness;
  beforeAll(async () => {
    server = await startEverythingHttp(mode);
    h = await startMcp(`mcp_servers:\n  - name: web\n    url: ${server.url}${path}\n${extra}`);
  });
  afterAll(async () => {
    await h.close();
    server.child.kill();
  });

  it(`connects over ${transport}, discovers and calls tools`, async () => {
    expect(h.status('web')).toMatchObject({ state: 'ready', transport });
    expect(h.status('web').tools.length).toBeGreaterThan(5);
    expect(await h.call('web__echo', { message: 'over http' })).toMatchObject({ ok: true, output: 'Echo: over http' });
  });
});

describe('MCP over HTTP: nothing listening', () => {
  it('fails with the URL in the reason', async () => {
    const h = await startMcp('mcp_servers:\n  - name: gone\n    url: http://127.0.0.1:9/mcp\n    timeout_s: 5\n');
    try {
      expect(h.status('gone')).toMatchObject({ state: 'failed', reason: expect.stringContaining('127.0.0.1:9') });
    } finally {
      await h.close();
    }
  });
});
