// The web UI in Debian Chromium against `rein serve` and the scripted Ollama server.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama, requestText, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { ARTIFACTS, e2eMissing, eventually, openBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

/**
 * Replies by goal: "tool" → a tool call then a Markdown answer; "wait" → never answers (until stopped); "what did you
 * say" (a follow-up) → quotes the conversation's earlier answer, which it finds in the request.
 */
function reply(request: ChatRequestBody): ScriptedReply {
  const last = requestText(request.messages.findLast((m) => m.role === 'user')?.content ?? '');
  if (last.includes('what did you say')) {
    const earlier = request.messages.slice(0, -1).findLast((m) => m.role === 'assistant')?.content;
    return { content: earlier ? `I said: ${earlier}` : 'I have not said anything yet.' };
  }
  const goal = requestText(request.messages.find((m) => m.role === 'user')?.content ?? '');
  if (goal.includes('wait')) return { hang: true };
  if (goal.includes('tool')) {
    if (request.messages.some((m) => m.role === 'tool')) return { content: 'It is **noon** by the `clock`.\n\n- one\n- two' };
    return { content: 'Let me check the clock. ', toolCalls: [{ name: 'clock', arguments: { zone: 'UTC' } }] };
  }
  return { content: 'Hello from Rein.' };
}

describe.skipIf(e2eMissing)('web UI over rein serve (Chromium)', () => {
  let ollama: ScriptedOllama;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [], replies: reply, pullable: [{ name: 'qwen3:4b', capabilities: ['completion', 'tools'], contextLength: 8192 }] });
    serve = await startServe(ollama.url);
    ({ context, page, shot } = await openBrowser());
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await ollama?.close();
  });

  it('asks for the token without it, and connects with the printed URL (token removed from the address bar)', async () => {
    const base = serve.url.split('#')[0]!;
    await page.goto(base);
    await eventually(() => page.getByRole('alert').first().textContent()).toContain('#token=');
    await page.goto(serve.url);
    await eventually(() => page.url()).toBe(base); // the fragment is gone from the address bar…
    await page.reload(); // …and the token is kept for this tab
    await page.getByRole('navigation', { name: 'Panels' }).waitFor();
  });

  it('first run: no model → setup panel, pull with a progress bar, pick the model and context size', async () => {
    await page.getByRole('region', { name: 'Models' }).waitFor();
    await eventually(() => page.getByText('No models installed yet').count()).toBe(1);
    await eventually(() => page.getByLabel('Model to pull').inputValue()).toBe('qwen3:4b');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    await eventually(() => page.getByLabel('Pull status').textContent()).toContain('success');
    expect(await page.getByLabel('Pull progress').getAttribute('value')).toBe('100');
    await page.getByLabel('Installed models').getByText('qwen3:4b').waitFor();
    await page.getByLabel('Context size').selectOption('8192');
    await page.getByRole('button', { name: 'Use this model' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Saved to' }).count()).toBe(1);
    expect(fs.readFileSync(path.join(serve.home, 'rein.yaml'), 'utf8')).toContain('num_ctx: 8192');
    await shot('first-run');
  });

  it('chat: streams a Markdown answer with a tool-call card, submitted with Enter', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('use a tool to tell the time');
    await page.getByLabel('Message').press('Enter');
    const card = page.getByRole('group', { name: 'Tool call clock' });
    await card.waitFor();
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
    expect(await card.textContent()).toContain('error');
    expect(await card.getAttribute('open')).not.toBeNull(); // a failed call opens by itself
    expect(await card.getByRole('table', { name: 'Arguments' }).getByRole('row').first().textContent()).toBe('zoneUTC');
    expect(await page.locator('.answer strong').last().textContent()).toBe('noon');
    expect(await page.locator('.answer li').count()).toBe(2);
    await page.getByRole('list', { name: 'Sessions' }).getByText('use a tool to tell the time').waitFor();
    // per-step token counts sit behind Details
    expect(await page.getByLabel('Step 1 usage').count()).toBe(0);
    await page.getByRole('region', { name: 'Current run' }).getByRole('button', { name: 'Details' }).click();
    expect(await page.getByLabel('Step 1 usage').textContent()).toContain('10 prompt + 5 answer tokens');
    await shot('chat');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('chat-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('chat: a follow-up continues the conversation — the model sees the earlier answer; one session entry', async () => {
    await page.getByLabel('Message').fill('what did you say about the time?');
    await page.getByLabel('Message').press('Enter');
    await eventually(() => page.locator('.answer').last().textContent()).toContain('I said: It is noon by the clock.');
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
    const followUp = ollama.chatRequests.findLast((r) => requestText(r.messages.at(-1)?.content ?? '') === 'what did you say about the time?')!;
    expect(followUp.messages.slice(1).map((m) => [m.role, requestText(m.content)])).toEqual([
      ['user', 'use a tool to tell the time'],
      ['assistant', 'It is **noon** by the `clock`.\n\n- one\n- two'],
      ['user', 'what did you say about the time?'],
    ]);
    expect(await page.getByRole('region', { name: 'Earlier turn' }).getByText('use a tool to tell the time').count()).toBe(1);
    const sessions = page.getByRole('list', { name: 'Sessions' });
    await eventually(() => sessions.getByLabel('2 turns').count()).toBe(1);
    expect(await sessions.getByText('what did you say').count()).toBe(0);
    expect(await sessions.getByText('use a tool to tell the time').count()).toBe(1);
    // reopening the conversation from the list shows both turns in order
    await page.getByRole('button', { name: 'New chat' }).click();
    await sessions.getByText('use a tool to tell the time').click();
    await page.getByRole('region', { name: 'Earlier turn' }).waitFor();
    expect(await page.locator('.user-bubble').allTextContents()).toEqual(['use a tool to tell the time', 'what did you say about the time?']);
    await shot('conversation');
  });

  it('stop button ends a running run', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('wait for ever');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('stopped');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
  });

  it('memory lists the chats above as sessions with their status', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Memory' }).click();
    const sessions = page.getByRole('region', { name: 'Memory' }).getByRole('list', { name: 'Memory sessions' });
    await eventually(() => sessions.getByRole('listitem').filter({ hasText: 'wait for ever' }).textContent()).toContain('stopped');
    expect(await sessions.getByRole('listitem').filter({ hasText: 'use a tool to tell the time' }).textContent()).toContain('completed');
    await shot('memory');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Traces' }).click();
    await page.getByRole('table', { name: 'Trace timeline' }).waitFor();
    await page.locator('#trace-run').selectOption({ label: 'use a tool to tell the time (completed)' });
    const steps = page.getByRole('list', { name: 'Steps' });
    await steps.getByText('Step 1').first().click();
    expect(await steps.getByRole('listitem').first().textContent()).toContain('10 + 5 tokens');
    expect(await steps.getByRole('listitem').first().textContent()).toContain('clock');
    await shot('traces');
  });

  it('without a reachable Ollama, first run explains how to install and start it', async () => {
    const offline = await startServe('http://127.0.0.1:9');
    try {
      const other = await context.newPage();
      await other.goto(offline.url);
      const setup = other.getByRole('region', { name: 'Models' });
      await eventually(() => setup.textContent()).toContain('Get a model running');
      expect(await setup.textContent()).toContain('ollama serve');
      expect(await setup.getByLabel('Default model').textContent()).toContain('not reachable');
      for (const width of [1280, 800]) {
        await other.setViewportSize({ width, height: 860 });
        await other.screenshot({ path: path.join(ARTIFACTS, `first-run-no-ollama-${width}.png`) });
      }
      await other.setViewportSize({ width: 1280, height: 860 });
      // cloud models are off by default; the hint leads to the one setting that allows them
      await setup.getByRole('button', { name: 'Where models may run' }).click();
      await eventually(() => other.locator(':focus').getAttribute('name')).toBe('policy.model_egress');
      expect(await other.getByLabel('Only models on this computer').isChecked()).toBe(true);
      // one clear banner in the chat, and Send stays disabled
      await other.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Chat' }).click();
      await other.getByLabel('Message').fill('hello');
      expect(await other.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
      expect(await other.getByLabel('Sending paused').textContent()).toMatch(/Ollama is not reachable at http:\/\/127\.0\.0\.1:9/);
      await other.screenshot({ path: path.join(ARTIFACTS, 'first-run-no-ollama-chat.png') });
      await other.close();
    } finally {
      await offline.stop();
    }
  });
});
