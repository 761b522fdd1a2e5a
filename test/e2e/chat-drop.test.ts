// Files dropped on the chat in a browser (`rein serve`): a browser gives no file paths, so nothing is attached
// and the chat says why and where to go instead (the desktop app, or Knowledge); test/main/desktop-drop.test.ts
// covers the desktop app, where the drop attaches the files.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, ScriptedOllama } from '../support/scripted-ollama.ts';
import { seriousViolations } from './axe.ts';
import { e2eMissing, openBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

interface PageGlobals {
  DataTransfer: new () => { items: { add(file: object): void } };
  File: new (parts: string[], name: string) => object;
}

describe.skipIf(e2eMissing)('documents dropped on the chat in a browser (rein serve)', () => {
  let ollama: ScriptedOllama;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL], replies: () => ({ content: 'ok' }) });
    serve = await startServe(ollama.url);
    ({ context, page, shot } = await openBrowser());
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Panels' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await ollama?.close();
  });

  it('says the browser cannot attach dropped files and points to the desktop app and Knowledge', async () => {
    const transfer = await page.evaluateHandle(() => {
      const g = globalThis as unknown as PageGlobals;
      const data = new g.DataTransfer();
      data.items.add(new g.File(['# notes'], 'notes.md'));
      return data;
    });
    await page.dispatchEvent('.chat', 'dragover', { dataTransfer: transfer });
    await page.getByText('Drop documents to attach them to this conversation').waitFor();
    await page.dispatchEvent('.chat', 'drop', { dataTransfer: transfer });
    const notice = page.getByRole('alert').filter({ hasText: 'A browser does not tell Rein where a dropped file is' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Drop files in the Rein desktop app, or add their folder in Knowledge');
    expect(await page.getByRole('region', { name: 'Documents in this conversation' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 800, height: 800 });
    await shot('chat-drop-browser-800');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('chat-drop-browser-1280');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice.count()).toBe(0);
  });
});
