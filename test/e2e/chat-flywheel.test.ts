// The chat as a person keeps using it, in Chromium: thumbs on answers show up in Insights; two models answer the same
// message side by side and one is picked to continue; a deleted conversation comes back with Undo; documents attach
// with the button; the model titles a conversation; an export carries tool calls and results.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.ts';
import { echoTool, tempDir, testConfig } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama, requestText, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { seriousViolations } from './axe.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = 'd'.repeat(64);
const SMALL = { name: 'llama3.2:1b', capabilities: ['completion', 'tools'], contextLength: 8192, family: 'llama' };

function reply(request: ChatRequestBody): ScriptedReply {
  const goal = requestText(request.messages.findLast((m) => m.role === 'user')?.content ?? '');
  const tool = request.messages.at(-1)?.role === 'tool' ? request.messages.at(-1)!.content : undefined;
  if (goal.includes('look up')) return tool ? { content: `Found it: ${tool}` } : { content: '', toolCalls: [{ name: 'lookup', arguments: { text: 'opening hours' } }] };
  if (request.model.startsWith('llama')) return { content: `Short answer from llama: ${goal}`, chunks: 3, delayMs: 150, evalCount: 9 };
  return { content: `A longer, more careful answer from qwen about: ${goal}`, chunks: 12, delayMs: 300, evalCount: 24 };
}

describe.skipIf(e2eMissing)('chat flywheel (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  const send = async (text: string) => {
    await page.getByLabel('Message').fill(text);
    await page.getByLabel('Message').press('Enter');
  };
  const completed = () => eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
  const sessions = () => page.getByRole('list', { name: 'Sessions' });
  const nav = (name: string) => page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name }).click();

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply, models: [DEFAULT_MODEL, SMALL] });
    runtime = new Runtime({ config: testConfig('', ollama.url), tools: [echoTool('lookup')] });
    await runtime.start();
    ui = await openServedUi(runtime, TOKEN);
    ({ page, shot } = ui);
    await page.getByRole('navigation', { name: 'Panels' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await ui?.close();
    await runtime?.close();
    await ollama?.close();
  });

  it('thumbs on answers (one with a reason) show up in Insights per model and per day', async () => {
    await send('what is two plus two');
    await completed();
    const actions = page.getByRole('region', { name: 'Current run' }).getByLabel('Answer actions');
    await actions.getByRole('button', { name: 'Good answer' }).click();
    await eventually(() => actions.getByRole('button', { name: 'Good answer' }).getAttribute('aria-pressed')).toBe('true');
    await actions.getByLabel('What was good (optional)').fill('short and right');
    await actions.getByRole('button', { name: 'Add' }).click();
    await eventually(() => actions.textContent()).toContain('“short and right”');
    await shot('chat-feedback');
    await send('and three plus three');
    await completed();
    await page.getByRole('region', { name: 'Current run' }).getByRole('button', { name: 'Bad answer' }).click();
    await eventually(() => page.getByRole('region', { name: 'Current run' }).getByRole('button', { name: 'Bad answer' }).getAttribute('aria-pressed')).toBe('true');
    // recorded like `rein feedback`, for runs that used no skill
    const feedback = JSON.parse(fs.readFileSync(path.join(runtime.config.dataDir, 'feedback.json'), 'utf8')) as { runs: Record<string, { verdict: string; reason?: string }> };
    expect(Object.values(feedback.runs)).toEqual(expect.arrayContaining([{ verdict: 'good', reason: 'short and right', at: expect.any(String) }, { verdict: 'bad', at: expect.any(String) }]));
    await nav('Insights');
    const insights = page.getByRole('region', { name: 'Insights' });
    await eventually(() => insights.getByRole('table', { name: 'Models' }).getByRole('row').filter({ hasText: 'qwen3:4b' }).textContent()).toContain('1 good · 1 bad');
    expect(await insights.getByRole('table', { name: 'Verdicts by day' }).locator('tbody td').allTextContents()).toEqual(['2', '1', '1', '50%']);
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(`insights-${width}`);
    }
    await page.setViewportSize({ width: 1200, height: 800 });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the model titles a conversation after its first answer', async () => {
    await eventually(() => sessions().textContent()).toContain('Chat: what is two plus two');
  });

  it('compares two models side by side and continues with the picked answer', async () => {
    await nav('Chat');
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByLabel('Second model').selectOption('llama3.2:1b');
    await send('explain rainbows');
    const comparison = page.getByRole('region', { name: 'Comparison' });
    const qwen = comparison.getByRole('article', { name: 'Answer from qwen3:4b' });
    const llama = comparison.getByRole('article', { name: 'Answer from llama3.2:1b' });
    await eventually(() => llama.getByLabel('Measurements of llama3.2:1b').textContent()).toMatch(/First token\d+ msSpeed[\d.]+ tokens\/sTokens\d+ in · 9 out/);
    await eventually(() => qwen.getByLabel('Measurements of qwen3:4b').textContent()).toContain('24 out');
    expect(await qwen.textContent()).toContain('A longer, more careful answer from qwen about: explain rainbows');
    expect(await llama.textContent()).toContain('Short answer from llama: explain rainbows');
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(`compare-${width}`);
    }
    await page.setViewportSize({ width: 1200, height: 800 });
    expect(await seriousViolations(page)).toEqual([]);
    await llama.getByRole('button', { name: 'Continue with this answer' }).click();
    await eventually(() => comparison.count()).toBe(0);
    expect(await page.locator('.answer').last().textContent()).toContain('Short answer from llama');
    await page.getByLabel('Version 2 of 2').waitFor(); // the other answer stays reachable
    await page.getByRole('button', { name: 'Compare: on' }).click();
    await send('and why are they curved?');
    await completed();
    const followUp = ollama.chatRequests.findLast((r) => requestText(r.messages.at(-1)?.content ?? '') === 'and why are they curved?')!;
    expect(followUp.messages.map((m) => m.content)).toContain('Short answer from llama: explain rainbows');
  });

  it('attaches a document with the button next to the composer', async () => {
    const file = path.join(tempDir('rein-e2e-attach-'), 'menu.txt');
    fs.writeFileSync(file, 'Monday: soup of the day is lentil.\n');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach documents' }).click()]);
    await chooser.setFiles(file);
    const documents = page.getByRole('region', { name: 'Documents in this conversation' });
    await eventually(() => documents.getByLabel('Document menu.txt').textContent()).toMatch(/1 passage/);
  });

  it('exports a conversation with its tool calls and results; the file name has no stray dots', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('look up the opening hours...');
    await completed();
    await page.getByRole('button', { name: /^Actions for (Chat: )?look up the opening hours/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Markdown' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^[\w-]+(\.[\w-]+)*\.md$/);
    expect(download.suggestedFilename()).not.toContain('..');
    const markdown = fs.readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain('### Tool call `lookup`');
    expect(markdown).toContain('"text": "opening hours"');
    expect(markdown).toMatch(/Result \(\d+ ms\):\n\n```\necho: opening hours\n```/);
    expect(markdown).toContain('Found it: echo: opening hours');
  });

  it('a deleted conversation comes back with Undo; without Undo it is gone when the toast ends', async () => {
    const row = () => sessions().getByRole('listitem').filter({ hasText: 'explain rainbows' });
    await page.getByRole('button', { name: /^Actions for (Chat: )?explain rainbows$/ }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete, keep its memory' }).click();
    await eventually(() => row().count()).toBe(0);
    const toast = page.getByRole('status').filter({ hasText: 'Deleted' });
    await shot('delete-undo');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => row().count()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 9000)); // past the toast's time: nothing was deleted
    expect((await runtime.services.memory!.sessions()).some((s) => s.goal === 'explain rainbows')).toBe(true);
    expect(await row().count()).toBe(1);

    await page.getByRole('button', { name: /^Actions for (Chat: )?explain rainbows$/ }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete, keep its memory' }).click();
    await eventually(() => row().count()).toBe(0);
    await eventually(() => toast.count()).toBe(0);
    const runs = await import('../../src/runtime/index.ts').then(({ createRuntimeApi }) => createRuntimeApi(runtime).runs.list());
    expect(runs.some((r) => r.goal === 'explain rainbows')).toBe(false);
  }, 40_000);
});
