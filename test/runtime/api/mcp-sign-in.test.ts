// Sign-in to an OAuth MCP server through the API (what the MCP panel's Sign in / Cancel / Sign out call), over the
// real McpService against the local protected server: the host answers with the authorization URL and waits on
// its 127.0.0.1 redirect; the "browser" (fetch) follows the URL; the server turns ready. A signed-in server needs
// no URL; cancel and sign-out leave it failed with the reason; a server without OAuth is refused.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';
import { startProtectedServer, type ProtectedServer } from '../../support/protected-mcp-server.ts';
import { EVERYTHING, stdioServer } from '../mcp/helpers.ts';
import { startApi, type ApiHarness } from './helpers.ts';

describe('MCP sign-in through the API', () => {
  let web: ProtectedServer;
  let h: ApiHarness;
  let runtime: Runtime;
  const status = async (name = 'web') => (await h.client.mcp.servers()).find((s) => s.name === name)!;
  const ready = () => expect.poll(async () => (await status()).state, { timeout: 20_000 });

  beforeAll(async () => {
    web = await startProtectedServer({ oauth: {} });
    const yaml = `mcp_servers:\n  - name: web\n    url: ${web.url}\n    auth:\n      type: oauth\n      redirect_port: ${await freePort()}\n${stdioServer('plain', EVERYTHING, ['stdio'])}`;
    h = await startApi(testConfig(yaml, 'http://127.0.0.1:9'));
    runtime = h.runtime;
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    await web?.close();
  });

  it('starts with "sign-in needed", signs in through the returned URL, then a new sign-in needs no URL', async () => {
    expect(await status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('sign-in needed'), auth: { kind: 'oauth', signedIn: false } });
    const started = await h.client.mcp.startSignIn('web');
    expect(started.status.state).toBe('starting');
    const url = new URL(started.url!);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await browse(url)).toContain('Signed in');
    await ready().toBe('ready');
    expect(await status()).toMatchObject({ toolCount: 1, auth: { signedIn: true } });

    const again = await h.client.mcp.startSignIn('web');
    expect(again).toEqual({ status: expect.objectContaining({ state: 'ready' }) });
    expect(web.log.authorize).toBe(1);
  });

  it('sign-out forgets the token; a cancelled sign-in says so; a restart cancels a waiting one', async () => {
    expect(await h.client.mcp.signOut('web')).toMatchObject({ state: 'failed', auth: { signedIn: false } });
    expect(await h.client.mcp.cancelSignIn('web')).toBe(false);
    const started = await h.client.mcp.startSignIn('web');
    expect(started.url).toBeDefined();
    expect(await h.client.mcp.cancelSignIn('web')).toBe(true);
    await ready().toBe('failed');
    expect((await status()).reason).toContain('sign-in cancelled');
    // Restart while a sign-in waits: it is cancelled at once (not after the 5-minute wait), and the restarted server is headless again.
    expect((await h.client.mcp.startSignIn('web')).url).toBeDefined();
    expect(await h.client.mcp.restart('web')).toMatchObject({ state: 'failed', reason: expect.stringContaining('sign-in needed') });
    // The redirect listener is gone: the port can be used by the next sign-in.
    const next = await h.client.mcp.startSignIn('web');
    expect(await browse(new URL(next.url!))).toContain('Signed in');
    await ready().toBe('ready');
  });

  it('refuses servers that do not sign in with OAuth, and unknown names', async () => {
    await expect(h.client.mcp.startSignIn('plain')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('has no `auth: oauth`') });
    await expect(h.client.mcp.signOut('plain')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(h.client.mcp.startSignIn('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

/** The user's browser: another process (this one's egress is guarded by the runtime), following the redirects. */
function browse(url: URL): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t))', url.href], (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
