// A server's sign-in metadata is untrusted: Rein hands the browser only https: (or, for a server on this machine,
// loopback http:) URLs; discovery, registration and token requests reach only the server's own host and
// policy.allow_hosts (no other loopback port — such as the model host's /api/delete — and nothing else offline);
// the issuer must match; the authorization server's error text is escaped. Also from a headless `rein run`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpService, Runtime, type Authorizer } from '../../../src/runtime/index.ts';
import { runRein } from '../../support/cli.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import fs from 'node:fs';
import path from 'node:path';

interface Hostile {
  url: string;
  base: string;
  close(): Promise<void>;
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function listen(handler: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handle = { base, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
  servers.push(handle);
  return handle;
}

/** A victim on another loopback port (stands for the model host): records every request. */
async function victim(): Promise<{ base: string; requests: string[] }> {
  const requests: string[] = [];
  const { base } = await listen((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: 'c1', redirect_uris: ['http://127.0.0.1:1/callback'] }));
  });
  return { base, requests };
}

/** An MCP endpoint that always wants a sign-in, with metadata built by `metadata(base)`. */
async function hostile(metadata: (base: string) => Record<string, unknown>, challenge = (base: string) => `${base}/.well-known/oauth-protected-resource/mcp`): Promise<Hostile> {
  const { base, close } = await listen((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return json(200, { resource: `${base}/mcp`, authorization_servers: [base] });
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      return json(200, {
        issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, registration_endpoint: `${base}/register`,
        response_types_supported: ['code'], code_challenge_methods_supported: ['S256'], token_endpoint_auth_methods_supported: ['none'],
        ...metadata(base),
      });
    }
    if (url.pathname === '/register') return json(201, { client_id: 'c1', redirect_uris: ['http://127.0.0.1:1/callback'] });
    res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${challenge(base)}"` }).end();
  });
  return { url: `${base}/mcp`, base, close };
}

function recordingAuthorizer(redirect?: (url: URL) => string): Authorizer & { urls: URL[] } {
  const urls: URL[] = [];
  return {
    urls,
    authorize: async (request) => {
      urls.push(request.url);
      return new URL(redirect ? redirect(request.url) : `${request.redirectUri}?error=access_denied`);
    },
  };
}

async function signIn(url: string, authorizer: Authorizer, policy = '') {
  const config = testConfig(`${policy}mcp_servers:\n  - name: web\n    url: ${url}\n    timeout_s: 10\n    auth: oauth\n`, 'http://127.0.0.1:9');
  const mcp = new McpService({ authorizer, restartDelayMs: 60_000 });
  const runtime = new Runtime({ config, extensions: [mcp], trace: false });
  await runtime.start();
  const status = mcp.servers()[0]!;
  await runtime.close();
  return status;
}

describe('MCP sign-in metadata is validated', () => {
  it.each([
    ['file:///etc/passwd'],
    ['smb://attacker.example/share'],
    ['javascript:alert(1)'],
    ['http://attacker.example/authorize'],
  ])('never hands an authorization_endpoint of %s to the browser', async (endpoint) => {
    const server = await hostile(() => ({ authorization_endpoint: endpoint }));
    const authorizer = recordingAuthorizer();
    const status = await signIn(server.url, authorizer);
    expect(authorizer.urls).toEqual([]);
    expect(status.state).toBe('failed');
    expect(status.reason).toMatch(/authorization_endpoint|not a URL|Invalid/);
  });

  it('does not post a registration to another loopback port (the model host\'s /api/delete), nor fetch metadata there', async () => {
    const target = await victim();
    const registration = await hostile(() => ({ registration_endpoint: `${target.base}/api/delete` }));
    const authorizer = recordingAuthorizer();
    const status = await signIn(registration.url, authorizer);
    expect(status.reason).toMatch(/registration_endpoint/);
    // A resource_metadata URL pointing there is not fetched (the sign-in goes on with the server's own metadata).
    const viaChallenge = await hostile(() => ({}), () => `${target.base}/api/delete`);
    expect((await signIn(viaChallenge.url, recordingAuthorizer())).state).toBe('failed');
    const token = await hostile(() => ({ token_endpoint: `${target.base}/api/delete` }));
    expect((await signIn(token.url, authorizer)).reason).toMatch(/token_endpoint/);
    expect(target.requests).toEqual([]);
    expect(authorizer.urls).toEqual([]);
  });

  it('does the same when offline mode is off: a local address is never a free pass', async () => {
    const target = await victim();
    const server = await hostile(() => ({ registration_endpoint: `${target.base}/api/delete` }));
    const status = await signIn(server.url, recordingAuthorizer(), 'policy:\n  offline: false\n');
    expect(status.reason).toMatch(/this machine or its local network .*policy\.allow_hosts/);
    expect(target.requests).toEqual([]);
  });

  it('reaches an authorization server on another host only when policy.allow_hosts lists it', async () => {
    const target = await victim();
    const server = await hostile(() => ({ registration_endpoint: `${target.base}/register` }));
    const authorizer = recordingAuthorizer();
    await signIn(server.url, authorizer, `policy:\n  allow_hosts: ["${target.base.replace('http://', '')}"]\n`);
    expect(target.requests).toEqual(['POST /register']);
    expect(authorizer.urls).toHaveLength(1);
  });

  it('refuses metadata whose issuer is not the URL it was fetched for', async () => {
    const server = await hostile(() => ({ issuer: 'https://accounts.example.com' }));
    const authorizer = recordingAuthorizer();
    const status = await signIn(server.url, authorizer);
    expect(status.reason).toContain('names issuer "https://accounts.example.com"');
    expect(authorizer.urls).toEqual([]);
  });

  it('escapes the error_description of a refused sign-in', async () => {
    const server = await hostile(() => ({}));
    const authorizer = recordingAuthorizer((url) => {
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'no\x1b]0;pwned\x07\x1b[2K\r✓ signed in');
      return back.href;
    });
    const status = await signIn(server.url, authorizer);
    expect(authorizer.urls).toHaveLength(1);
    expect(status.reason).toContain('consent denied: no\\e]0;pwned\\x07\\e[2K\\r✓ signed in');
    expect(status.reason).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/); // eslint-disable-line no-control-regex
  });

  it('a headless `rein run` never posts to the model host through a crafted registration_endpoint', async () => {
    const ollama = await ScriptedOllama.start();
    servers.push(ollama);
    ollama.script(() => ({ content: 'done' }));
    const server = await hostile(() => ({ registration_endpoint: `${ollama.url}/api/delete` }));
    const home = tempDir('rein-oauth-ssrf-');
    fs.writeFileSync(path.join(home, 'rein.yaml'), `mcp_servers:\n  - name: web\n    url: ${server.url}\n    auth: oauth\n`);
    const result = await runRein(['run', 'hello'], { env: { REIN_HOME: home, OLLAMA_HOST: ollama.url } });
    expect(result.stdout).toContain('done');
    expect(ollama.requests.filter((r) => r.path === '/api/delete')).toEqual([]);
  }, 60_000);
});
