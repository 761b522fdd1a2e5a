// Knowledge in the browser against `rein serve` (a child process with rein.yaml granting a folder of generated
// documents): the panel shows ingestion and per-file errors and the passages the agent gets; in the chat, the
// scripted model calls search_knowledge; the answer lists its sources and [1] opens the cited page beside the chat.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCitations } from '../../src/common/index.ts';
import { tempDir } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { writeCorpus } from '../runtime/knowledge/corpus.ts';
import { seriousViolations } from './axe.ts';
import { e2eMissing, eventually, openBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

const EMBED = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words' as const, embeddingDimensions: 64 };

function reply(request: ChatRequestBody): ScriptedReply {
  const tool = request.messages.findLast((m) => m.role === 'tool');
  if (!tool) return { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'weeks of paid parental leave' } }] };
  const cited = parseCitations(tool.content).find((c) => c.label.startsWith('handbook.pdf'));
  return { content: cited ? `Employees get **sixteen weeks** of paid parental leave [${cited.n}].` : 'I found nothing.' };
}

describe.skipIf(e2eMissing)('knowledge (Chromium, rein serve)', () => {
  let ollama: ScriptedOllama;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  let docs: string;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, EMBED], replies: reply });
    docs = tempDir('rein-e2e-docs-');
    await writeCorpus(docs);
    fs.writeFileSync(path.join(docs, 'corrupt.pdf'), '%PDF-1.7\nnot a pdf\n');
    serve = await startServe(ollama.url, { yaml: `knowledge:\n  paths: [${JSON.stringify(docs)}]\n` });
    ({ context, page, shot } = await openBrowser());
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Panels' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await ollama?.close();
  });

  it('the Knowledge panel shows the indexed folder, the failed file with its reason, and search passages', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Knowledge' }).click();
    const card = page.getByRole('listitem', { name: `Source ${docs}` });
    await eventually(() => card.getByLabel('Source status').textContent()).toMatch(/^7 indexed · 0 skipped · 1 failed · \d+ passages$/);
    await card.getByRole('button', { name: 'Files' }).click();
    await eventually(() => card.getByLabel('Files').textContent()).toContain('corrupt.pdf · corrupt or unsupported PDF');
    await page.getByLabel('Search knowledge').fill('ninety days notice to terminate');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const first = page.getByLabel('Passages').getByRole('listitem').first();
    await eventually(() => first.textContent()).toContain('[1] contract.docx');
    expect(await first.textContent()).toContain('Either party may terminate this agreement with ninety days written notice');
    await shot('knowledge-panel');
  });

  it('adds a folder from the panel and indexes it', async () => {
    const more = tempDir('rein-e2e-more-');
    fs.writeFileSync(path.join(more, 'faq.md'), '# FAQ\n\nThe office dog is called Biscuit.\n');
    await page.getByLabel('Folder or file path').fill(more);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await eventually(() => page.getByRole('listitem', { name: `Source ${more}` }).getByLabel('Source status').textContent()).toMatch(/^1 indexed/);
  });

  it('an answer that cites lists its sources; [1] opens the PDF page beside the chat with the passage highlighted', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('How much parental leave do we get?');
    await page.getByLabel('Message').press('Enter');
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
    const sources = page.getByRole('navigation', { name: 'Sources' });
    expect(await sources.getByRole('listitem').allTextContents()).toEqual(['1handbook.pdfp. 2']);
    const cite = page.getByLabel('Answer').getByRole('button', { name: 'Source 1: handbook.pdf, p. 2' });
    expect(await cite.textContent()).toBe('[1]');
    await cite.click();
    const preview = page.getByRole('complementary', { name: 'Source 1: handbook.pdf, p. 2' });
    await eventually(() => preview.textContent()).toContain('Page 2 of');
    const passage = preview.getByLabel('Cited passage');
    expect(await passage.textContent()).toMatch(/sixteen weeks/i);
    expect(await preview.textContent()).toContain(path.join(docs, 'handbook.pdf'));
    expect(await passage.isVisible()).toBe(true);
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(`knowledge-source-${width}`);
    }
    await page.setViewportSize({ width: 1200, height: 800 });
    expect(await seriousViolations(page)).toEqual([]);
    await preview.getByRole('button', { name: 'Close source' }).click();
    await eventually(() => preview.count()).toBe(0);
    // the list under the answer opens it too
    await sources.getByRole('button', { name: /handbook\.pdf/ }).click();
    await eventually(() => page.getByRole('complementary', { name: /^Source 1/ }).getByLabel('Cited passage').count()).toBe(1);
  });
});
