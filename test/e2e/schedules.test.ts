// Schedules in the browser against a real `rein serve` host: the panel lists rein.yaml's schedule, adds one, runs it
// now and shows the ledger entry; an invalid form is refused with the config's own message.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, ScriptedOllama } from '../support/scripted-ollama.ts';
import { e2eMissing, openBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

describe.skipIf(e2eMissing)('schedules panel (Chromium, rein serve)', () => {
  let ollama: ScriptedOllama;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL], replies: () => ({ content: 'Digest written.' }) });
    serve = await startServe(ollama.url, { yaml: 'schedules:\n  - { name: weekday-digest, goal: Summarise yesterday\'s tickets, cron: "0 7 * * 1-5", timezone: Europe/Berlin, approvals: deny }\n' });
    ({ context, page, shot } = await openBrowser());
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Schedules' }).click();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await ollama?.close();
  });

  it('lists, adds, runs now and shows the ledger', async () => {
    const panel = page.getByRole('region', { name: 'Schedules' });
    const configured = panel.getByRole('listitem', { name: 'Schedule weekday-digest' });
    await expect.poll(() => configured.textContent(), { timeout: 30_000 }).toContain('cron 0 7 * * 1-5 (Europe/Berlin) · rein.yaml');
    expect(await configured.textContent()).toContain('never ran');

    const form = panel.getByRole('form', { name: 'Add a schedule' });
    await form.getByLabel('Name').fill('tea-break');
    await form.getByLabel('Goal').fill('Remind me to drink tea');
    await form.getByLabel('When').selectOption('every');
    await form.getByLabel('Interval').fill('soon');
    await form.getByRole('button', { name: 'Add schedule' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('"soon" is not an interval like 90s');
    await form.getByLabel('Interval').fill('2h');
    await form.getByRole('button', { name: 'Add schedule' }).click();
    const added = panel.getByRole('listitem', { name: 'Schedule tea-break' });
    await expect.poll(() => added.textContent(), { timeout: 15_000 }).toContain('every 2h');

    await configured.getByRole('button', { name: 'Run now' }).click();
    const ledger = panel.getByRole('table', { name: 'Schedule ledger' });
    await expect.poll(() => ledger.textContent(), { timeout: 60_000 }).toMatch(/weekday-digest\s*finished · manual/);
    await expect.poll(() => configured.textContent(), { timeout: 15_000 }).toContain('last finished');
    await shot('schedules');
    await page.setViewportSize({ width: 800, height: 900 });
    await panel.getByRole('heading', { name: 'Add a schedule' }).scrollIntoViewIfNeeded();
    await shot('schedules-800');
  }, 180_000);
});
