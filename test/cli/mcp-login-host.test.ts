// `rein mcp login|logout` with a `rein serve` host running on the data dir: the host signs in (the CLI prints the
// URL it got from the host; the "user" opens it, the authorization server consents at once and redirects to the
// host's 127.0.0.1 listener), so the HOST's connection turns ready with its tools without a restart; Ctrl-C cancels
// the sign-in on the host; logout has the host forget the token; `rein mcp passphrase` has the host restart an mTLS
// server so it reads the key passphrase now in the keychain; unknown names are usage errors.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHost, type HostConnection } from '../../src/host/client.ts';
import { startHostProcess, waitFor, type HostProcess } from '../host/host-process.ts';
import { REIN_BIN, runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { startProtectedServer, type ProtectedServer } from '../support/protected-mcp-server.ts';

let server: ProtectedServer;
let secure: ProtectedServer;
let host: HostProcess | undefined;
let connection: HostConnection | undefined;
const home = tempDir('rein-mcp-host-login-');
const env = { REIN_HOME: home };

beforeAll(async () => {
  server = await startProtectedServer({ oauth: {} });
  const pem = makeCertificates();
  secure = await startProtectedServer({ tls: { cert: pem('server.crt'), key: pem('server.key'), ca: pem('ca.crt') } });
  const port = await freePort();
  fs.writeFileSync(
    path.join(home, 'rein.yaml'),
    `mcp_servers:\n  - name: web\n    url: ${server.url}\n    timeout_s: 30\n    auth:\n      type: oidc\n      redirect_port: ${port}\n` +
      `  - name: secure\n    url: ${secure.url}\n    timeout_s: 30\n    auth:\n      type: mtls\n      cert: client.crt\n      key: client-encrypted.key\n      ca: ca.crt\n`,
  );
  host = await startHostProcess(home, 'http://127.0.0.1:9');
  connection = await connectHost(host.info);
  // The host answers before its runtime has started its capabilities: wait until both servers have settled.
  const settled = async () => (await connection!.api.mcp.servers().catch(() => [])).filter((s) => s.state === 'failed').length === 2;
  await waitFor(settled, 'the host to report both servers as needing a sign-in / passphrase');
}, 120_000);
afterAll(async () => {
  connection?.close();
  await host?.stop();
  await server?.close();
  await secure?.close();
});

const statusOf = async (name: string) => (await connection!.api.mcp.servers()).find((s) => s.name === name);
const web = () => statusOf('web');

describe('rein mcp login / logout through the running host', () => {
  it('login makes the host connection ready with its tools; logout returns it to sign-in needed', async () => {
    expect(await web()).toMatchObject({ state: 'failed', reason: expect.stringContaining('sign-in needed'), auth: { kind: 'oauth', signedIn: false } });

    const login = startLogin();
    const url = await login.url;
    expect(login.stdout()).toContain('Sign in to "web" in your browser (opening it now); if it does not open, visit:');
    // The user's browser: follows the authorization server's redirect back to the HOST's listener.
    expect(await (await fetch(url)).text()).toContain('Signed in');
    expect(await login.exit).toEqual({ code: 0, stderr: '' });
    expect(login.stdout()).toMatch(/signed in to web .*; 1 tool\n/);
    expect(login.stdout()).toContain(`the running host (pid ${host!.info.pid}) is connected to web now (no restart needed)`);

    // The host's own connection is signed in and serves the tool (no restart of the host).
    expect(await web()).toMatchObject({ state: 'ready', toolCount: 1, auth: { kind: 'oauth', signedIn: true } });
    expect((await connection!.api.mcp.tools('web')).map((t) => t.name)).toEqual(['web__whoami']);
    const listed = await runRein(['mcp', 'list'], { env });
    expect(listed.stdout).toMatch(/web {2}ready {2}streamable-http {2}1 tool/);

    const logout = await runRein(['mcp', 'logout', 'web'], { env });
    expect(logout).toMatchObject({ code: 0, stderr: '' });
    expect(logout.stdout).toContain('signed out of web (token removed from the keychain)');
    expect(logout.stdout).toMatch(new RegExp(`the running host \\(pid ${host!.info.pid}\\) restarted web: failed \\(sign-in needed`));
    expect(await web()).toMatchObject({ state: 'failed', reason: expect.stringContaining('sign-in needed'), toolCount: 0, auth: { signedIn: false } });
    expect((await runRein(['mcp', 'logout', 'web'], { env })).stdout).toContain('no stored sign-in for web');
  }, 120_000);

  it('Ctrl-C while waiting cancels the sign-in on the host', async () => {
    const login = startLogin();
    await login.url;
    await waitFor(async () => (await web())?.state === 'starting', 'the host to wait for the browser');
    login.child.kill('SIGINT');
    const { code, stderr } = await login.exit;
    expect(code).toBe(130);
    expect(stderr).toContain('rein mcp login: web: ');
    expect(stderr).toContain('sign-in cancelled');
    expect(await web()).toMatchObject({ state: 'failed', reason: expect.stringContaining('sign-in cancelled') });
  }, 120_000);

  it('passphrase stores the key passphrase and has the host restart the mTLS server with it', async () => {
    expect(await statusOf('secure')).toMatchObject({ state: 'failed', reason: expect.stringContaining('cannot read the private key') });
    const pid = host!.info.pid;

    const wrong = await runRein(['mcp', 'passphrase', 'secure'], { env, stdin: 'nope\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('stored the key passphrase of secure in ');
    expect(wrong.stdout).toMatch(new RegExp(`the running host \\(pid ${pid}\\) restarted secure to use it: failed \\(.*wrong passphrase`));

    const right = await runRein(['mcp', 'passphrase', 'secure'], { env, stdin: 's3cret\n' });
    expect(right).toMatchObject({ code: 0, stderr: '' });
    expect(right.stdout).toContain(`the running host (pid ${pid}) restarted secure to use it: ready, 1 tool\n`);
    expect(await statusOf('secure')).toMatchObject({ state: 'ready', toolCount: 1 });
  }, 120_000);

  it('unknown servers are usage errors naming what the host has', async () => {
    const pid = host!.info.pid;
    expect(await runRein(['mcp', 'login', 'nope'], { env })).toMatchObject({ code: 2, stderr: `rein mcp login: no HTTP MCP server named "nope" on the running host (pid ${pid}) (configured: web, secure)\n` });
    expect(await runRein(['mcp', 'logout', 'nope'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('rein mcp logout: no HTTP MCP server named "nope"') });
    expect(await runRein(['mcp', 'login'], { env })).toMatchObject({ code: 2, stderr: 'rein mcp login: name the server (as in mcp_servers of rein.yaml)\n' });
  }, 60_000);
});

/** `rein mcp login web` as a child process; no browser can open (PATH has no xdg-open), the test follows the URL. */
function startLogin(): { child: ChildProcessWithoutNullStreams; url: Promise<string>; exit: Promise<{ code: number | null; stderr: string }>; stdout(): string } {
  const child = spawn(process.execPath, [REIN_BIN, 'mcp', 'login', 'web'], {
    cwd: home,
    env: { PATH: '/nonexistent', HOME: process.env.HOME, NO_COLOR: '1', REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /https?:\/\/\S+\/authorize\S*/.exec(stdout);
      if (match) resolve(match[0]);
    });
    void exit.then(({ code }) => reject(new Error(`rein mcp login exited (${code}) before printing the URL: ${stderr}`)));
  });
  url.catch(() => undefined);
  return { child, url, exit, stdout: () => stdout };
}

/** A CA, the server's certificate (for 127.0.0.1) and the client's, its key encrypted with "s3cret", in the data dir. */
function makeCertificates(): (name: string) => string {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: home, stdio: 'pipe' });
  const signed = (name: string, ext?: string) => {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    if (ext) fs.writeFileSync(path.join(home, `${name}.ext`), ext);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...(ext ? ['-extfile', `${name}.ext`] : []));
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=ca');
  signed('server', 'subjectAltName=IP:127.0.0.1\n');
  signed('client');
  openssl('pkey', '-in', 'client.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'client-encrypted.key');
  return (name) => fs.readFileSync(path.join(home, name), 'utf8');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
