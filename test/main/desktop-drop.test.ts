// Dropping documents on the chat in the desktop app: the REAL main (out/main/index.js) under the electron
// stand-in, the real preload (its webUtils.getPathForFile gives each dropped File's path) and the built renderer,
// against a real host. Dropped files attach to the conversation and are indexed; an unsupported type and an item
// with no file on disk each get their own message. The preload's openExternal opens only http(s) pages.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isProcessAlive, readHostInfo } from '../../src/host/discovery.ts';
import { ARTIFACTS, e2eMissing } from '../e2e/browser.ts';
import { launchWindowBrowser, standIn } from '../support/electron-stand-in/index.ts';
import { tempDir } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../support/scripted-ollama.ts';

vi.mock('electron', () => import('../support/electron-stand-in/index.ts'));

interface PageGlobals {
  __standInDroppedPaths: Record<string, string>;
  reinDesktop: { openExternal(url: string): Promise<boolean>; openPath(file: string): Promise<boolean>; openDataFolder(): Promise<boolean> };
  document: { querySelector(selector: string): object };
  DataTransfer: new () => { items: { add(file: object): void } };
  File: new (parts: string[], name: string) => object;
}

const MAIN_BUNDLE = path.resolve(import.meta.dirname, '../../out/main/index.js');

describe.skipIf(e2eMissing || !fs.existsSync(MAIN_BUNDLE))('desktop: documents dropped on the chat', () => {
  let ollama: ScriptedOllama;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  const docs = tempDir('rein-drop-docs-');

  beforeAll(async () => {
    fs.writeFileSync(path.join(docs, 'notes.md'), '# Team notes\n\nThe release train leaves every second Tuesday.\n');
    fs.writeFileSync(path.join(docs, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL], replies: () => ({ content: 'Noted.' }) });
    standIn.appData = tempDir('rein-drop-');
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
    page.setDefaultTimeout(30_000);
  }, 90_000);

  afterAll(async () => {
    const info = dataDir ? readHostInfo(dataDir) : undefined;
    if (standIn.windows[0] && !standIn.windows[0].isDestroyed()) {
      standIn.windows[0].close();
      await standIn.quitted;
    }
    if (info && isProcessAlive(info.pid)) process.kill(info.pid, 'SIGKILL');
    await standIn.closeBrowser();
    await ollama?.close();
  });

  it('attaches dropped files to the conversation; an unsupported type and a file with no path say why', async () => {
    await expect.poll(() => readHostInfo(dataDir), { timeout: 60_000, interval: 200 }).toBeDefined();
    await page.getByLabel('Message').fill('Here are my notes');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => page.getByLabel('Run status').textContent(), { timeout: 60_000 }).toContain('completed');

    await page.evaluate((dir) => {
      const g = globalThis as unknown as PageGlobals;
      g.__standInDroppedPaths = { 'notes.md': `${dir}/notes.md`, 'photo.png': `${dir}/photo.png` };
    }, docs);
    const transfer = await page.evaluateHandle(() => {
      const g = globalThis as unknown as PageGlobals;
      const data = new g.DataTransfer();
      for (const name of ['notes.md', 'photo.png', 'from-the-web.txt']) data.items.add(new g.File(['x'], name));
      return data;
    });
    await page.dispatchEvent('.chat', 'dragover', { dataTransfer: transfer });
    await page.locator('.drop-overlay').waitFor();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-drop-over.png') });
    await page.dispatchEvent('.chat', 'drop', { dataTransfer: transfer });

    const list = page.getByRole('region', { name: 'Documents in this conversation' });
    await expect.poll(() => list.getByLabel('Document notes.md').textContent(), { timeout: 30_000 }).toMatch(/notes\.md\d+ passages?Remove/);
    await expect.poll(() => list.getByLabel('Document photo.png').textContent(), { timeout: 30_000 }).toContain('not used: unsupported file type — Rein reads PDF');
    expect(await list.getByLabel('Document from-the-web.txt').textContent()).toContain('not attached: not a file on this computer');
    expect(await page.locator('.drop-overlay').count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-drop-attached-1280.png') });
    await page.setViewportSize({ width: 800, height: 800 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-drop-attached-800.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The host has them as this conversation's sources (not granted to every run).
    const sources = (await page.evaluate(() => (globalThis as unknown as { reinTransport: { invoke(m: string, a: unknown[]): Promise<unknown> } }).reinTransport.invoke('knowledge.sources', []))) as { value: { path: string; conversationId?: string }[] };
    expect(sources.value.map((s) => [path.basename(s.path), typeof s.conversationId])).toEqual([['notes.md', 'string'], ['photo.png', 'string']]);

    await list.getByRole('button', { name: 'Remove photo.png from this conversation' }).click();
    await expect.poll(() => list.getByLabel('Document photo.png').count(), { timeout: 30_000 }).toBe(0);
  }, 150_000);

  it('in a new chat, dropped files wait for the first message, then attach to the conversation it starts', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    const transfer = await page.evaluateHandle(() => {
      const g = globalThis as unknown as PageGlobals;
      const data = new g.DataTransfer();
      data.items.add(new g.File(['x'], 'notes.md'));
      return data;
    });
    await page.dispatchEvent('.chat', 'drop', { dataTransfer: transfer });
    const list = page.getByRole('region', { name: 'Documents in this conversation' });
    expect(await list.getByLabel('Document notes.md').textContent()).toContain('attached when you send your first message');
    await page.getByLabel('Message').fill('What do my notes say?');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => list.getByLabel('Document notes.md').textContent(), { timeout: 30_000 }).toMatch(/\d+ passages?/);
    const sources = (await page.evaluate(() => (globalThis as unknown as { reinTransport: { invoke(m: string, a: unknown[]): Promise<unknown> } }).reinTransport.invoke('knowledge.sources', []))) as { value: { conversationId?: string }[] };
    expect(new Set(sources.value.map((s) => s.conversationId)).size).toBe(2);
  }, 60_000);

  it('a knowledge document opens in its own app; other files, and documents outside the sources, do not', async () => {
    const open = (file: string) => page.evaluate((f) => (globalThis as unknown as PageGlobals).reinDesktop.openPath(f), file);
    const outside = path.join(tempDir('rein-not-granted-'), 'private.md');
    fs.writeFileSync(outside, '# not for Rein\n');
    expect(await open(path.join(docs, 'notes.md'))).toBe(true);
    expect(await open(outside)).toBe(false); // a document, but not in a knowledge source: the host refuses
    expect(await open('/bin/sh')).toBe(false); // never a program
    expect(await open(path.join(docs, 'photo.png'))).toBe(false);
    expect(standIn.openedPaths).toEqual([path.join(docs, 'notes.md')]);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).reinDesktop.openDataFolder())).toBe(true);
    expect(standIn.openedPaths.at(-1)).toBe(dataDir);
  });

  it('the preload opens only http(s) pages in the system browser', async () => {
    const open = (url: string) => page.evaluate((u) => (globalThis as unknown as PageGlobals).reinDesktop.openExternal(u), url);
    expect(await open('https://auth.example.com/authorize?x=1')).toBe(true);
    expect(await open('file:///etc/passwd')).toBe(false);
    expect(await open('javascript:alert(1)')).toBe(false);
    expect(standIn.opened).toEqual(['https://auth.example.com/authorize?x=1']);
  });
});
