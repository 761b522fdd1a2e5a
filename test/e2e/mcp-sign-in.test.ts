// Signing in to an OAuth MCP server from the MCP panel, in Chromium against `rein serve` (a child process):
// Sign in → the host answers with the authorization URL and waits on its 127.0.0.1 redirect → the page opens
// it in a new tab (the local authorization server consents at once and redirects back) → the server turns
// ready with its tools. Then Sign out, a cancelled sign-in and a denied one, each with its message on the row.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, ScriptedOllama } from '../support/scripted-ollama.ts';
import { startProtectedServer, type ProtectedServer } from '../support/protected-mcp-server.ts';
import { seriousViolations } from './axe.ts';
import { ARTIFACTS, e2eMissing, eventually, openBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

describe.skipIf(e2eMissing)('MCP sign-in from the panel (Chromium, rein serve)', () => {
  let ollama: ScriptedOllama;
  let web: ProtectedServer;
  let denying: ProtectedServer;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL], replies: () => ({ content: 'ok' }) });
    web = await startProtectedServer({ oauth: {} });
    denying = await startProtectedServer({ oauth: { denyConsent: true } });
    const server = (name: string, url: string, port: number) => `  - name: ${name}\n    url: ${url}\n    auth:\n      type: oauth\n      redirect_port: ${port}\n`;
    serve = await startServe(ollama.url, { yaml: `mcp_servers:\n${server('web', web.url, await freePort())}${server('strict', denying.url, await freePort())}` });
    ({ context, page, shot } = await openBrowser());
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'MCP' }).click();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await web?.close();
    await denying?.close();
    await ollama?.close();
  });

  it('Sign in opens the authorization page, the redirect comes back to the host, and the server turns ready', async () => {
    const row = page.getByRole('listitem', { name: 'Server web', exact: true });
    await eventually(() => row.textContent()).toContain('not signed in');
    expect(await row.textContent()).toContain('Sign-in needed');
    await shot('mcp-sign-in-needed');
    // Stop the sign-in tab at the authorization page once, to see the waiting state, then let it go on.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await context.route(`${new URL(web.url).origin}/authorize**`, async (route) => { await held; await route.continue(); });
    const opened = page.waitForEvent('popup');
    await row.getByRole('button', { name: 'Sign in', exact: true }).click();
    await row.getByRole('status').getByText('Waiting for sign-in in your browser…').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 800, height: 800 });
    await shot('mcp-sign-in-waiting-800');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('mcp-sign-in-waiting-1280');
    release();
    const tab = await opened;
    await eventually(() => tab.textContent('body').catch(() => '')).toContain('Signed in — you can close this tab');
    expect(new URL(tab.url()).origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await tab.close();
    await context.unroute(`${new URL(web.url).origin}/authorize**`);
    await eventually(() => row.textContent()).toMatch(/ready · 1 tools.*signed in/);
    expect(await row.getByRole('status').count()).toBe(0);
    expect(await row.textContent()).toContain('web__whoami');
    expect(web.log).toMatchObject({ authorize: 1, tokens: ['authorization_code'] });
    await shot('mcp-signed-in-1280');
    await page.setViewportSize({ width: 800, height: 800 });
    await shot('mcp-signed-in-800');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('Sign out forgets the token: the server needs a sign-in again', async () => {
    const row = page.getByRole('listitem', { name: 'Server web', exact: true });
    await row.getByRole('button', { name: 'Sign out' }).click();
    await eventually(() => row.textContent()).toContain('not signed in');
    await row.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  });

  it('Cancel stops a waiting sign-in and says so on the row', async () => {
    const row = page.getByRole('listitem', { name: 'Server web', exact: true });
    // This time the browser never gets there: the authorization page does not load.
    const authorize = `${new URL(web.url).origin}/authorize**`;
    await context.route(authorize, (route) => route.abort());
    const opened = page.waitForEvent('popup');
    await row.getByRole('button', { name: 'Sign in', exact: true }).click();
    await row.getByRole('button', { name: 'Cancel sign-in' }).click();
    await eventually(() => row.textContent()).toContain('sign-in cancelled');
    expect(await row.getByRole('status').count()).toBe(0);
    await (await opened).close();
    await context.unroute(authorize);
  });

  it('a denied consent shows the reason on the server row', async () => {
    const row = page.getByRole('listitem', { name: 'Server strict', exact: true });
    const opened = page.waitForEvent('popup');
    await row.getByRole('button', { name: 'Sign in', exact: true }).click();
    const tab = await opened;
    await eventually(() => tab.textContent('body').catch(() => '')).toContain('Sign-in was not completed.');
    await tab.close();
    await eventually(() => row.textContent()).toContain('consent denied');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await row.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);
    await shot('mcp-sign-in-denied');
    expect(fs.existsSync(path.join(ARTIFACTS, 'mcp-sign-in-denied.png'))).toBe(true);
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
