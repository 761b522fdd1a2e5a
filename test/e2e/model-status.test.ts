// Honest status in Chromium: the model server goes down and comes back. The host pushes its health: one banner, Send
// disabled, the sidebar agreeing; a run cut off by the outage says its cause once; within seconds of the server's
// return the banner is gone and Retry works.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.ts';
import { testConfig } from '../support/fixtures.ts';
import { ScriptedOllama, requestText, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { seriousViolations } from './axe.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = 'f'.repeat(64);

function reply(request: ChatRequestBody): ScriptedReply {
  const goal = requestText(request.messages.findLast((m) => m.role === 'user')?.content ?? '');
  if (goal.includes('slow')) return { content: 'A slow answer.', delayMs: 2500 };
  return { content: `You said: ${goal}` };
}

describe.skipIf(e2eMissing)('model server down and up (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  const send = async (text: string) => {
    await page.getByLabel('Message').fill(text);
    await page.getByLabel('Message').press('Enter');
  };
  const banner = () => page.getByLabel('Sending paused');
  const sendButton = () => page.getByRole('button', { name: 'Send', exact: true });

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply, loadMs: 4000 });
    runtime = new Runtime({ config: testConfig('runtime: { model_retries: 1 }', ollama.url), retry: { baseDelayMs: 200 } });
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

  it('while the server loads the model, the run says so, with the seconds so far', async () => {
    await send('hello');
    await eventually(() => page.getByLabel('Run progress').textContent()).toMatch(/^loading qwen3:4b into memory… \d/);
    expect(await page.getByLabel('Model status').textContent()).toContain('loading');
    await shot('model-loading');
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
    await eventually(() => page.getByLabel('Model status').textContent()).toContain('ready');
  });

  it('the server going away pauses sending with one banner, and its return resumes it within seconds', async () => {
    await ollama.down();
    const downAt = Date.now();
    await eventually(() => banner().count()).toBe(1);
    expect(Date.now() - downAt).toBeLessThan(8000);
    expect(await banner().textContent()).toMatch(/^Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+ — start it/);
    await page.getByLabel('Message').fill('are you there?');
    expect(await sendButton().isDisabled()).toBe(true);
    expect(await page.getByLabel('Model status').textContent()).toContain('not reachable'); // the sidebar agrees
    await shot('model-down');
    expect(await seriousViolations(page)).toEqual([]);
    await ollama.up();
    const upAt = Date.now();
    await eventually(() => banner().count()).toBe(0);
    expect(Date.now() - upAt).toBeLessThan(6000);
    expect(await sendButton().isDisabled()).toBe(false);
    expect(await page.getByLabel('Model status').textContent()).toContain('ready');
  });

  it('a run cut off by the outage says why once; after the server is back, Retry answers', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('a slow question');
    // while waiting: a spinner with the time so far
    await eventually(() => page.getByLabel('Run progress').textContent()).toMatch(/waiting for qwen3:4b… \d/);
    await ollama.down();
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('failed');
    const run = page.getByRole('region', { name: 'Current run' });
    const saying = await run.getByText(/not reachable|ECONNREFUSED|fetch failed|socket/i).allTextContents();
    expect(saying, saying.join(" || ")).toHaveLength(1); // the failure line only: no repeated retry lines or notices of the same cause
    await shot('model-down-run');
    await ollama.up();
    await eventually(() => banner().count()).toBe(0);
    await run.getByRole('button', { name: 'Retry' }).click();
    await eventually(() => page.locator('.answer').last().textContent()).toContain('A slow answer.');
  }, 60_000);
});
