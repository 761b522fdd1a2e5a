// MCP OAuth against a real protected server: sign-in through an authorizer, token in the keychain, a later
// run (new process state) uses the stored token, refresh when it expires, logout forgets it; headless runs
// say "run `rein mcp login`"; no token ever lands in the data dir, traces or the audit log.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../../src/common/index.ts';
import { AuditExtension, AuthStore, McpService, Runtime, type Authorizer, type ReinConfig } from '../../../src/runtime/index.ts';
import { redirectFollowingAuthorizer } from '../../../src/runtime/mcp/index.ts';
import { testConfig } from '../../support/fixtures.ts';
import { startProtectedServer, type ProtectedServer } from '../../support/protected-mcp-server.ts';

let server: ProtectedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function session(config: ReinConfig, authorizer?: Authorizer) {
  const mcp = new McpService(authorizer ? { authorizer } : {});
  const events: SystemEvent[] = [];
  const runtime = new Runtime({ config, extensions: [new AuditExtension(), mcp], trace: true });
  runtime.onSystemEvent((e) => events.push(e));
  await runtime.start();
  const call = () =>
    runtime.guard.invoke(
      { id: 'c1', name: 'web__whoami', arguments: {} },
      { runId: 'run_auth', step: 1, signal: new AbortController().signal, emit: () => undefined },
    );
  return { mcp, runtime, events, call, status: () => mcp.servers()[0]! };
}

const yaml = (url: string) => `mcp_servers:\n  - name: web\n    url: ${url}\n    timeout_s: 20\n    auth: oauth\n`;

describe('MCP OAuth sign-in', () => {
  it('signs in, stores the token in the keychain, reuses it after a restart, refreshes it, and logout forgets it', async () => {
    server = await startProtectedServer({ oauth: {} });
    const config = testConfig(yaml(server.url), 'http://127.0.0.1:9');

    const first = await session(config, redirectFollowingAuthorizer);
    expect(first.status()).toMatchObject({ state: 'ready', auth: { kind: 'oauth', signedIn: true, expiresAt: expect.any(String) } });
    expect(await first.call()).toMatchObject({ ok: true, output: 'hello, authenticated caller' });
    await first.runtime.close();
    expect(server.log).toMatchObject({ authorize: 1, registrations: 1, tokens: ['authorization_code'] });

    // A new runtime (as after a restart) cannot sign in (headless) yet works: the stored token is used.
    const second = await session(config);
    expect(second.status()).toMatchObject({ state: 'ready', auth: { signedIn: true } });
    expect(await second.call()).toMatchObject({ ok: true });
    await second.runtime.close();
    expect(server.log.authorize).toBe(1);

    // The access token stops working: the refresh token gets a new one, still without a sign-in.
    server.expireAccessTokens();
    const third = await session(config);
    expect(third.status()).toMatchObject({ state: 'ready' });
    await third.runtime.close();
    expect(server.log).toMatchObject({ authorize: 1, tokens: ['authorization_code', 'refresh_token'] });

    // Expired and the refresh token revoked: a headless run says so and what to do.
    server.expireAccessTokens();
    server.revokeRefreshTokens();
    const revoked = await session(config);
    expect(revoked.status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('token expired and refresh failed; sign-in needed: run `rein mcp login web`') });
    await revoked.runtime.close();
    const again = await session(config, redirectFollowingAuthorizer);
    expect(again.status()).toMatchObject({ state: 'ready' });
    await again.runtime.close();

    // Nothing secret in the data dir (traces, audit log, sessions) or in the status events.
    const everything = [...filesUnder(config.dataDir).map((f) => fs.readFileSync(f, 'latin1')), JSON.stringify([first.events, second.events, third.events])].join('\n');
    expect(filesUnder(config.dataDir).some((f) => f.includes(`${path.sep}traces${path.sep}`) || /audit/.test(f))).toBe(true);
    for (const secret of server.issued) expect(everything).not.toContain(secret);

    // Logout removes the stored sign-in; the next headless start says what to do.
    expect(new AuthStore('web', server.url).clear()).toBe(true);
    const fourth = await session(config);
    expect(fourth.status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('sign-in needed: run `rein mcp login web`'), auth: { signedIn: false } });
    await fourth.runtime.close();
  });

  it('steps up to a wider scope on 403 insufficient_scope with a new authorization, not a refresh', async () => {
    server = await startProtectedServer({ oauth: { callScope: 'mcp:write' } });
    const config = testConfig(yaml(server.url), 'http://127.0.0.1:9');
    const signedIn = await session(config, redirectFollowingAuthorizer);
    expect(await signedIn.call()).toMatchObject({ ok: true, output: 'hello, authenticated caller' });
    await signedIn.runtime.close();
    expect(server.log).toMatchObject({ authorize: 2, tokens: ['authorization_code', 'authorization_code'] });

    // Headless, a new server whose token lacks the scope: the call fails saying a sign-in is needed for it.
    await server.close();
    server = await startProtectedServer({ oauth: { callScope: 'mcp:admin' } });
    const first = await session(testConfig(yaml(server.url), 'http://127.0.0.1:9'), redirectFollowingAuthorizer);
    await first.runtime.close();
    const headless = await session(testConfig(yaml(server.url), 'http://127.0.0.1:9'));
    expect(await headless.call()).toMatchObject({ ok: false, error: expect.stringContaining('wants more access (scope "mcp:admin"): sign-in needed: run `rein mcp login web`') });
    await headless.runtime.close();
  });

  it('signs in over the legacy SSE transport too', async () => {
    server = await startProtectedServer({ oauth: {} });
    const sse = await session(testConfig(`mcp_servers:\n  - name: web\n    url: ${server.url.replace(/\/mcp$/, '/sse')}\n    transport: sse\n    auth: oauth\n`, 'http://127.0.0.1:9'), redirectFollowingAuthorizer);
    expect(sse.status()).toMatchObject({ state: 'ready', transport: 'sse', auth: { signedIn: true } });
    expect(await sse.call()).toMatchObject({ ok: true, output: 'hello, authenticated caller' });
    await sse.runtime.close();
  });

  it('names a denied consent, a refused refresh and missing registration support', async () => {
    server = await startProtectedServer({ oauth: { denyConsent: true } });
    const denied = await session(testConfig(yaml(server.url), 'http://127.0.0.1:9'), redirectFollowingAuthorizer);
    expect(denied.status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('consent denied') });
    await denied.runtime.close();
    await server.close();

    server = await startProtectedServer({ oauth: { noRegistration: true } });
    const unregistered = await session(testConfig(yaml(server.url), 'http://127.0.0.1:9'), redirectFollowingAuthorizer);
    expect(unregistered.status()).toMatchObject({ state: 'failed', reason: expect.stringMatching(/registration/) });
    await unregistered.runtime.close();
  });
});

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
