// The chat as people use it, in Chromium against an in-process server: it follows a streamed answer and lands at the
// end of an opened conversation; Markdown tables and highlighted code; edit-and-resend keeps both versions; an MCP
// form request shows every field; an approval reads like a decision while its tool waits.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.ts';
import { echoTool, testConfig } from '../support/fixtures.ts';
import { ScriptedOllama, requestText, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { EVERYTHING, stdioServer } from '../runtime/mcp/helpers.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = 'c'.repeat(64);
const LONG = Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of a long answer.`).join('\n\n');
const RICH = 'Here is a table:\n\n| tool | calls |\n|---|---|\n| read_file | 3 |\n| run_js | 1 |\n\n```ts\nconst total: number = 3 + 1;\n```\n';

function reply(request: ChatRequestBody): ScriptedReply {
  const goal = requestText(request.messages.findLast((m) => m.role === 'user')?.content ?? '');
  const tool = request.messages.at(-1)?.role === 'tool' ? request.messages.at(-1)!.content : undefined;
  if (goal.includes('form')) {
    if (tool) return { content: `Thanks, the server got: ${tool.slice(0, 400)}` };
    return { content: '', toolCalls: [{ name: 'everything__trigger-elicitation-request', arguments: {} }] };
  }
  if (goal.includes('note')) {
    if (tool) return { content: 'Done.' };
    return { content: '', toolCalls: [{ name: 'write_note', arguments: { path: 'notes/today.md', text: 'first line\nsecond line' } }] };
  }
  if (goal.includes('slow')) return { content: LONG, delayMs: 1500, chunks: 60 };
  if (goal.includes('long')) return { content: LONG, chunks: 60 };
  if (goal.includes('table')) return { content: RICH };
  return { content: `You said: ${goal}` };
}

/** How far the chat is from its bottom, in pixels. */
const distanceFromBottom = (page: Page) => page.locator('.chat-scroll').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

describe.skipIf(e2eMissing)('chat (Chromium)', () => {
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

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply });
    const yaml = `mcp_servers:\n${stdioServer('everything', EVERYTHING, ['stdio'])}`;
    runtime = new Runtime({ config: testConfig(yaml, ollama.url), tools: [echoTool('write_note', 'write')] });
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

  it('follows a streamed answer while at the bottom; scrolled up, it stays and offers "Jump to latest"', async () => {
    await send('give me a long answer');
    await completed();
    await eventually(() => distanceFromBottom(page)).toBeLessThan(50);
    await send('now a slow long answer');
    await page.locator('.user-bubble').filter({ hasText: 'now a slow long answer' }).waitFor();
    await page.locator('.chat-scroll').evaluate((el) => { el.scrollTop = 0; });
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    await jump.waitFor();
    await completed();
    expect(await page.locator('.chat-scroll').evaluate((el) => el.scrollTop)).toBeLessThan(50);
    await shot('chat-jump-to-latest');
    await jump.click();
    await eventually(() => distanceFromBottom(page)).toBeLessThan(50);
    expect(await jump.count()).toBe(0);
  });

  it('opening an earlier conversation lands at its end', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('hello there');
    await completed();
    await page.getByRole('list', { name: 'Sessions' }).getByText('give me a long answer').click();
    await page.locator('.user-bubble').filter({ hasText: 'now a slow long answer' }).waitFor();
    await eventually(() => page.locator('.answer').count()).toBe(2);
    await eventually(() => distanceFromBottom(page)).toBeLessThan(50);
  });

  it('renders Markdown tables and highlighted code with its language and a copy button', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('show a table and code');
    await completed();
    const table = page.locator('.answer table');
    expect(await table.locator('th').allTextContents()).toEqual(['tool', 'calls']);
    expect(await table.locator('td').allTextContents()).toEqual(['read_file', '3', 'run_js', '1']);
    const code = page.getByRole('figure', { name: 'Code: ts' });
    expect(await code.locator('.code-lang').textContent()).toBe('ts');
    await eventually(() => code.locator('span[style]').count()).toBeGreaterThan(3);
    expect(await code.locator('code').textContent()).toBe('const total: number = 3 + 1;');
    await code.getByRole('button', { name: 'Copy code' }).click();
    await eventually(() => code.getByRole('button', { name: 'Copy code' }).textContent()).toBe('Copied');
    await shot('chat-markdown');
  });

  it('edit and resend: a new version of the turn, the earlier one still reachable', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('first wording');
    await completed();
    await send('a follow-up');
    await completed();
    const firstTurn = page.getByRole('region', { name: 'Earlier turn' }).first();
    await firstTurn.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Edit prompt').fill('second wording');
    await page.getByRole('button', { name: 'Send edited' }).click();
    await eventually(() => page.locator('.answer').last().textContent()).toContain('You said: second wording');
    await completed();
    // the new branch replaces the follow-up; the turn shows it has two versions
    expect(await page.locator('.user-bubble').allTextContents()).toEqual(['second wording']);
    await page.getByLabel('Version 2 of 2').waitFor();
    await shot('chat-edited');
    await page.getByRole('button', { name: 'Previous version' }).click();
    await eventually(() => page.locator('.user-bubble').allTextContents()).toEqual(['first wording', 'a follow-up']);
    await page.getByLabel('Version 1 of 2').waitFor();
    expect(await page.locator('.answer').last().textContent()).toContain('You said: a follow-up');
    await page.getByRole('button', { name: 'Next version' }).click();
    await eventually(() => page.locator('.user-bubble').allTextContents()).toEqual(['second wording']);
    // the model saw only the edited text, not the replaced turn
    const edited = ollama.chatRequests.findLast((r) => requestText(r.messages.at(-1)?.content ?? '') === 'second wording')!;
    expect(edited.messages.slice(1).map((m) => requestText(m.content))).toEqual(['second wording']);
  });

  it('an approval reads like a decision: plain words, arguments as a table, rule and risk; its tool waits', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('write a note');
    const card = page.getByRole('dialog', { name: 'Approval: Allow write_note?' });
    await card.waitFor();
    expect(await card.locator('.question-what').textContent()).toBe('Rein wants to run write_note — it changes files or data.');
    const args = card.getByRole('table', { name: 'Arguments' });
    expect(await args.locator('th').allTextContents()).toEqual(['path', 'text']);
    expect(await args.locator('pre').textContent()).toBe('first line\nsecond line');
    expect(await card.locator('dl').textContent()).toContain('Ruledefault for writing tools');
    expect(await card.textContent()).toContain('covers write_note with exactly these arguments');
    expect(await page.getByRole('group', { name: 'Tool call write_note' }).locator('.tool-status').textContent()).toBe('waiting for approval');
    await shot('approval-card');
    await card.getByRole('button', { name: 'Allow once' }).click();
    await completed();
    expect(await page.getByRole('group', { name: 'Tool call write_note' }).locator('.tool-status').textContent()).toBe('ok');
  });

  it('an MCP form request shows every field with its default, validates, and sends what the user saw', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('fill the form please');
    const approval = page.getByRole('dialog', { name: /^Approval: Allow everything__trigger-elicitation-request/ });
    const form = page.getByRole('dialog', { name: 'Form: everything asks for input' });
    await Promise.race([approval.waitFor(), form.waitFor()]);
    if (await approval.count()) await approval.getByRole('button', { name: 'Allow once' }).click();
    await form.waitFor();
    expect(await form.getByLabel('String with default').inputValue()).toBe('It was a dark and stormy night.');
    expect(await form.getByLabel('Integer', { exact: true }).inputValue()).toBe('42');
    expect(await form.getByLabel('Untitled Single Select Enum', { exact: true }).inputValue()).toBe('Monica');
    expect(await form.getByRole('group', { name: 'Untitled Multiple Select Enum' }).getByLabel('Guitar').isChecked()).toBe(true);
    expect(await form.getByLabel('Titled Single Select Enum', { exact: true }).locator('option:checked').textContent()).toBe('Superman');
    expect(await form.getByText('Your full, legal name').count()).toBe(1);
    await form.getByLabel('String', { exact: true }).fill('Ada Lovelace');
    await form.getByLabel('Boolean', { exact: true }).check();
    await form.getByLabel('String with email format').fill('not an email');
    await form.getByLabel('Integer', { exact: true }).fill('500');
    await form.getByRole('button', { name: 'Submit' }).click();
    expect(await form.getByRole('alert').allTextContents()).toEqual(expect.arrayContaining(['enter an email address', 'at most 100']));
    // the first field to fix is focused and in view (not 560 px above with focus left on Submit)
    const focused = page.locator(':focus');
    await eventually(() => focused.getAttribute('aria-invalid')).toBe('true');
    expect(await focused.getAttribute('id')).toBe(await form.locator('[aria-invalid="true"]').first().getAttribute('id'));
    const visible = async () => {
      const [box, area] = [await focused.boundingBox(), await page.locator('.chat-scroll').boundingBox()];
      return Boolean(box && area && box.y >= area.y && box.y + box.height <= area.y + area.height);
    };
    await eventually(visible).toBe(true);
    await shot('elicitation-form');
    await form.getByLabel('String with email format').fill('ada@example.com');
    await form.getByLabel('Integer', { exact: true }).fill('7');
    await form.getByRole('button', { name: 'Submit' }).click();
    await completed();
    // the time spent filling the form is the user's, not the tool's
    const timing = await page.getByRole('group', { name: 'Tool call everything__trigger-elicitation-request' }).locator('.tool-duration').textContent();
    expect(timing).toMatch(/^\d+ ms · your answer took \d/);
    const told = ollama.chatRequests.at(-1)!.messages.at(-1)!.content;
    expect(told).toContain('Ada Lovelace');
    expect(told).toContain('ada@example.com');
    expect(told).toMatch(/"integer":\s*7/);
  });
});
