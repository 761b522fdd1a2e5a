// Files dropped on the chat in a browser (`rein serve`): a browser gives no file paths, so their bytes are
// uploaded, stored under the data dir (0600), indexed and listed above the composer like on the desktop; the
// scripted model's search_knowledge finds the passage; Remove deletes the stored copy; an unsupported type and
// a file over knowledge.max_file_mb show their errors. test/main/desktop-drop.test.ts covers the desktop app.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCitations } from '../../src/common/index.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { seriousViolations } from './axe.ts';
import { e2eMissing, eventually, openBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

interface PageGlobals {
  DataTransfer: new () => { items: { add(file: object): void } };
  File: new (parts: (string | Uint8Array)[], name: string, options?: { type: string }) => object;
}

/** What search_knowledge gave the scripted model. */
let toolOutput = '';

function reply(request: ChatRequestBody): ScriptedReply {
  const asked = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
  if (!asked.includes('zephyr')) return { content: 'ok' };
  const tool = request.messages.findLast((m) => m.role === 'tool');
  if (!tool) return { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'zephyr budget' } }] };
  toolOutput = tool.content;
  const cited = parseCitations(tool.content).find((c) => c.label.startsWith('notes.md'));
  return { content: cited ? `The zephyr budget is ninety kroner [${cited.n}].` : 'I found nothing.' };
}

describe.skipIf(e2eMissing)('documents dropped on the chat in a browser (rein serve)', () => {
  let ollama: ScriptedOllama;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL], replies: reply });
    serve = await startServe(ollama.url, { yaml: 'knowledge:\n  max_file_mb: 1\n' });
    ({ context, page, shot } = await openBrowser());
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Panels' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await ollama?.close();
  });

  it('uploads a dropped document, lists and indexes it, the model finds it, Remove deletes the stored copy', async () => {
    await page.getByLabel('Message').fill('hello');
    await page.getByLabel('Message').press('Enter');
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');

    const transfer = await page.evaluateHandle(() => {
      const g = globalThis as unknown as PageGlobals;
      const data = new g.DataTransfer();
      data.items.add(new g.File(['# Budget\n\nThe zephyr budget is ninety kroner.\n'], 'notes.md', { type: 'text/markdown' }));
      data.items.add(new g.File(['not really a picture'], 'photo.png', { type: 'image/png' }));
      data.items.add(new g.File([new Uint8Array(1536 * 1024).fill(97)], 'big.md', { type: 'text/markdown' }));
      return data;
    });
    await page.dispatchEvent('.chat', 'dragover', { dataTransfer: transfer });
    await page.getByText('Drop documents to attach them to this conversation').waitFor();
    await page.dispatchEvent('.chat', 'drop', { dataTransfer: transfer });

    const documents = page.getByRole('region', { name: 'Documents in this conversation' });
    const notes = documents.getByRole('listitem', { name: 'Document notes.md' });
    await eventually(() => notes.textContent()).toContain('1 passage');
    await eventually(() => documents.getByRole('listitem', { name: 'Document photo.png' }).textContent()).toContain('not attached: unsupported file type — Rein reads PDF');
    await eventually(() => documents.getByRole('listitem', { name: 'Document big.md' }).textContent()).toContain('not attached: 1.5 MB is larger than the 1 MB limit (knowledge.max_file_mb)');
    expect(await page.getByText('drop files in the desktop app', { exact: false }).count()).toBe(0);

    const attachments = path.join(serve.home, 'attachments');
    const [conversation] = fs.readdirSync(attachments);
    const stored = path.join(attachments, conversation!, 'notes.md');
    expect(fs.readdirSync(path.join(attachments, conversation!))).toEqual(['notes.md']);
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(attachments, conversation!)).mode & 0o777).toBe(0o700);

    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 800, height: 800 });
    await shot('chat-drop-browser-800');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('chat-drop-browser-1280');

    await page.getByLabel('Message').fill('What is the zephyr budget?');
    await page.getByLabel('Message').press('Enter');
    await eventually(() => page.getByLabel('Answer', { exact: true }).last().textContent()).toContain('The zephyr budget is ninety kroner');
    expect(parseCitations(toolOutput).find((c) => c.label.startsWith('notes.md'))?.file).toBe(stored);
    expect(toolOutput).toContain('The zephyr budget is ninety kroner.');

    await notes.getByRole('button', { name: 'Remove notes.md from this conversation' }).click();
    await eventually(() => notes.count()).toBe(0);
    expect(fs.existsSync(stored)).toBe(false);
    await documents.getByRole('listitem', { name: 'Document photo.png' }).getByRole('button', { name: 'Dismiss photo.png' }).click();
    await documents.getByRole('listitem', { name: 'Document big.md' }).getByRole('button', { name: 'Dismiss big.md' }).click();
    expect(await documents.count()).toBe(0);
  });
});
