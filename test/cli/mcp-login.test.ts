// `rein mcp login` end to end: the real CLI prints the authorization URL and waits on its 127.0.0.1 listener;
// the "user" opens the URL (the authorization server consents at once and redirects back); the token is then
// in the keychain, `rein mcp list` works headless, and `rein mcp logout` forgets it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REIN_BIN, runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { startProtectedServer, type ProtectedServer } from '../support/protected-mcp-server.ts';

let server: ProtectedServer;
const home = tempDir();
const env = { REIN_HOME: home };
beforeAll(async () => {
  server = await startProtectedServer({ oauth: {} });
  const port = await freePort();
  fs.writeFileSync(path.join(home, 'rein.yaml'), `mcp_servers:\n  - name: web\n    url: ${server.url}\n    auth:\n      type: oidc\n      redirect_port: ${port}\n`);
});
afterAll(() => server.close());

describe('rein mcp login / logout', () => {
  it('signs in through the loopback redirect, then list works headless, and logout forgets the token', async () => {
    expect((await runRein(['mcp', 'list'], { env })).stdout).toContain('sign-in needed: run `rein mcp login web`');

    const child = spawn(process.execPath, [REIN_BIN, 'mcp', 'login', 'web'], {
      cwd: home,
      env: { PATH: '/nonexistent', HOME: process.env.HOME, NO_COLOR: '1', REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match = /https?:\/\/\S+\/authorize\S*/.exec(stdout);
        if (match) resolve(match[0]);
      });
      child.on('close', (code) => reject(new Error(`rein mcp login exited (${code}) before printing the URL: ${stderr}`)));
    });
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    // The user's browser: follows the authorization server's redirect back to Rein's listener.
    const page = await fetch(url);
    expect(await page.text()).toContain('Signed in');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/signed in to web .*; 1 tool\n/);

    const listed = await runRein(['mcp', 'list'], { env });
    expect(listed.stdout).toMatch(/web {2}ready/);
    expect(listed.stdout).toContain('auth: oauth signed in');

    expect((await runRein(['mcp', 'logout', 'web'], { env })).stdout).toContain('signed out of web (token removed from the keychain)');
    expect((await runRein(['mcp', 'logout', 'web'], { env })).stdout).toContain('no stored sign-in for web');
    expect((await runRein(['mcp', 'list'], { env })).stdout).toContain('not signed in (run `rein mcp login web`)');
  }, 60_000);

  it('refuses servers without OAuth and unknown names', async () => {
    expect(await runRein(['mcp', 'login', 'nope'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('no HTTP MCP server named "nope" (configured: web)') });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
