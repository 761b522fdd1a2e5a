// The REAL Electron main (out/main/index.js) under Node with the electron stand-in: it starts the host on the
// pinned Node, the window (Chromium + the real preload + the built renderer) completes a chat that calls run_js,
// a killed host is restarted while the UI says "reconnecting", and quitting stops the host.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostStatus } from '../../src/common/host-status.ts';
import { isProcessAlive, readHostInfo, type HostInfo } from '../../src/host/discovery.ts';
import { ARTIFACTS, e2eMissing } from '../e2e/browser.ts';
import { launchWindowBrowser, standIn } from '../support/electron-stand-in/index.ts';
import { tempDir } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';

vi.mock('electron', () => import('../support/electron-stand-in/index.ts'));

/** What the tests read in the page (evaluated in Chromium; this program has no DOM types). */
interface PageGlobals {
  reinTransport: { invoke(method: string, args: unknown[]): Promise<unknown> };
  reinHost: { subscribe(listener: (status: HostStatus) => void): void };
  statuses: HostStatus[];
  banners: string[];
  document: { documentElement: { outerHTML: string }; body: unknown; querySelector(selector: string): { textContent: string | null } | null };
  location: { href: string };
  sessionStorage: object;
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
}

const MAIN_BUNDLE = path.resolve(import.meta.dirname, '../../out/main/index.js');
const slowCalls: ChatRequestBody[] = [];

/** "compute" → run_js, then the answer; "slow" → the first model call never answers (the host is killed meanwhile). */
function reply(request: ChatRequestBody): ScriptedReply {
  const goal = request.messages.find((m) => m.role === 'user')?.content ?? '';
  if (goal.includes('slow')) {
    slowCalls.push(request);
    return slowCalls.length === 1 ? { hang: true } : { content: 'Resumed and done.' };
  }
  if (goal.includes('compute')) {
    if (request.messages.some((m) => m.role === 'tool')) return { content: 'The answer is 42.' };
    return { content: '', toolCalls: [{ name: 'run_js', arguments: { code: 'return input.a * input.b', input: { a: 6, b: 7 } } }] };
  }
  return { content: 'Hello from the desktop app.' };
}

describe.skipIf(e2eMissing || !fs.existsSync(MAIN_BUNDLE))('desktop shell: real main under the electron stand-in', () => {
  let ollama: ScriptedOllama;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  const hostPids = new Set<number>();

  const host = (): HostInfo | undefined => {
    const info = readHostInfo(dataDir);
    if (info) hostPids.add(info.pid);
    return info;
  };
  const call = (method: string, args: unknown[] = []) =>
    page.evaluate(([m, a]) => (globalThis as unknown as PageGlobals).reinTransport.invoke(m, [...a]), [method, args] as const) as Promise<{ ok: boolean; value?: unknown }>;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL], replies: reply });
    standIn.appData = tempDir('rein-shell-');
    dataDir = path.join(standIn.appData, 'Rein');
    delete process.env.REIN_HOME; // the shell picks <appData>/Rein
    process.env.OLLAMA_HOST = ollama.url;
    // In development the host runs on the Node that runs the CLI and the tests (the pinned Node 24).
    process.env.REIN_NODE = process.execPath;
    context = await launchWindowBrowser();
    standIn.context = context;
    await import(MAIN_BUNDLE);
    standIn.ready();
    while (standIn.windows.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    page = await standIn.windows[0]!.page;
    page.setDefaultTimeout(30_000);
  }, 90_000);

  afterAll(async () => {
    for (const pid of hostPids) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    await standIn.closeBrowser();
    await ollama?.close();
  });

  it('starts the host on the pinned Node, and the window completes a chat that calls run_js', async () => {
    await expect.poll(host, { timeout: 60_000, interval: 200 }).toBeDefined();
    const info = host()!;
    expect(info.node).toBe(process.version);
    if (process.platform === 'linux') expect(fs.realpathSync(`/proc/${info.pid}/exe`)).toBe(fs.realpathSync(process.execPath));
    // The token stays in main: the page has the IPC transport, and nothing in it knows the token.
    expect(await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return page.document.documentElement.outerHTML + JSON.stringify(page.sessionStorage) + page.location.href;
    })).not.toContain(info.token);

    await page.getByLabel('Message').fill('compute 6 times 7');
    await page.getByLabel('Message').press('Enter');
    const card = page.getByRole('group', { name: 'Tool call run_js' });
    await card.waitFor();
    await expect.poll(() => page.getByLabel('Run status').textContent(), { timeout: 60_000 }).toContain('completed');
    await card.locator('summary').click();
    expect(await card.textContent()).toContain('42');
    expect(await page.locator('.answer').last().textContent()).toContain('The answer is 42.');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-shell-chat.png') });
  }, 120_000);

  it('restarts a killed host with backoff while the UI says "reconnecting"; the killed run resumes', async () => {
    // Record every status the preload delivers, from inside the page.
    await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      page.statuses = [];
      page.reinHost.subscribe((status) => page.statuses.push(status));
      page.banners = [];
      new page.MutationObserver(() => {
        const text = page.document.querySelector('[aria-label="Runtime connection"]')?.textContent;
        if (text && page.banners.at(-1) !== text) page.banners.push(text);
      }).observe(page.document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('a slow task');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => slowCalls.length, { timeout: 60_000 }).toBe(1); // the run waits on the model
    const killed = host()!;
    process.kill(killed.pid, 'SIGKILL');

    const restarted = () => {
      const info = host();
      return info && info.pid !== killed.pid ? info.pid : undefined;
    };
    await expect.poll(restarted, { timeout: 90_000, interval: 200 }).toBeDefined();
    const statuses = () => page.evaluate(() => (globalThis as unknown as PageGlobals).statuses.map((s) => s.state));
    await expect.poll(statuses, { timeout: 60_000 }).toContain('connected');
    expect((await statuses())[0]).toBe('reconnecting');
    expect((await page.evaluate(() => (globalThis as unknown as PageGlobals).banners))[0]).toContain('Reconnecting to Rein\'s runtime');
    await expect.poll(() => page.getByRole('status', { name: 'Runtime connection' }).count()).toBe(0);
    // The window talks to the new host.
    const listed = await call('runs.list');
    expect(listed.ok).toBe(true);

    const runs = listed.value as { goal?: string; status: string }[];
    expect(runs.find((r) => r.goal === 'a slow task')).toBeDefined();
    // The new host resumes the run it owned from its checkpoint: the model is asked again and the run completes.
    await expect.poll(async () => ((await call('runs.list')).value as { goal?: string; status: string }[]).find((r) => r.goal === 'a slow task')?.status, { timeout: 90_000 })
      .toBe('completed');
    expect(slowCalls.length).toBe(2);
    await expect.poll(() => page.getByText('Resumed and done.').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  }, 180_000);

  it('closing the window (no background work) quits the app and stops the host it started', async () => {
    const info = host()!;
    standIn.windows[0]!.close();
    await standIn.quitted;
    expect(isProcessAlive(info.pid)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'host.json'))).toBe(false);
  }, 60_000);
});
