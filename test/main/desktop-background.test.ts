// Background work keeps the host: with an active schedule, closing the window leaves the real main (under the
// electron stand-in) in the tray with its host running; the tray's "Quit and stop background work" stops both.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectHost } from '../../src/host/client.ts';
import { isProcessAlive, readHostInfo } from '../../src/host/discovery.ts';
import { e2eMissing } from '../e2e/browser.ts';
import { launchWindowBrowser, standIn } from '../support/electron-stand-in/index.ts';
import { tempDir } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../support/scripted-ollama.ts';

vi.mock('electron', () => import('../support/electron-stand-in/index.ts'));

const MAIN_BUNDLE = path.resolve(import.meta.dirname, '../../out/main/index.js');

describe.skipIf(e2eMissing || !fs.existsSync(MAIN_BUNDLE))('desktop shell with background work', () => {
  let ollama: ScriptedOllama;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  let hostPid: number | undefined;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL], replies: () => ({ content: 'done' }) });
    standIn.appData = tempDir('rein-shell-bg-');
    dataDir = path.join(standIn.appData, 'Rein');
    delete process.env.REIN_HOME;
    process.env.OLLAMA_HOST = ollama.url;
    process.env.REIN_NODE = process.execPath;
    context = await launchWindowBrowser();
    standIn.context = context;
    await import(MAIN_BUNDLE);
    standIn.ready();
    while (standIn.windows.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    page = await standIn.windows[0]!.page;
  }, 90_000);

  afterAll(async () => {
    if (hostPid && isProcessAlive(hostPid)) process.kill(hostPid, 'SIGKILL');
    await standIn.closeBrowser();
    await ollama?.close();
  });

  it('closing the window with an active schedule keeps the host, in the tray; scheduled runs notify; the tray quits and stops it', async () => {
    await expect.poll(() => readHostInfo(dataDir)?.pid, { timeout: 60_000, interval: 200 }).toBeDefined();
    hostPid = readHostInfo(dataDir)!.pid;
    await page.waitForFunction(() => 'reinTransport' in globalThis);
    const added = await page.evaluate(() =>
      (globalThis as unknown as { reinTransport: { invoke(m: string, a: unknown[]): Promise<{ ok: boolean }> } }).reinTransport.invoke('schedules.add', [{ name: 'morning', goal: 'say good morning', cron: '0 7 * * *' }]),
    );
    expect(added.ok).toBe(true);

    standIn.windows[0]!.close();
    await expect.poll(() => standIn.trays.length, { timeout: 30_000 }).toBe(1);
    expect(isProcessAlive(hostPid)).toBe(true);

    // Unattended work reaches the user as native notifications while the window is closed; a click opens it.
    const windows = standIn.windows.length;
    const connection = await connectHost(readHostInfo(dataDir)!);
    try {
      await connection.api.schedules.add({ name: 'often', goal: 'say hi', every: '2s', approvals: 'deny' });
    } finally {
      connection.close();
    }
    await expect.poll(() => standIn.notifications.map((n) => n.title), { timeout: 60_000, interval: 200 }).toContain('Rein: often finished');
    standIn.notifications.find((n) => n.title === 'Rein: often finished')!.click();
    await expect.poll(() => standIn.windows.length, { timeout: 30_000 }).toBe(windows + 1);

    standIn.trays[0]!.choose('Quit and stop background work');
    await standIn.quitted;
    expect(isProcessAlive(hostPid)).toBe(false);
    expect(standIn.trays[0]!.destroyed).toBe(true);
  }, 120_000);
});
