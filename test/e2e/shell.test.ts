// The app around the chat, in Chromium: conversations searched, renamed, exported and deleted from the sidebar; the
// command palette and shortcuts sheet; the theme toggle; the 800 px layout; and an axe-core check of every panel.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.ts';
import { echoTool, testConfig } from '../support/fixtures.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';
import { PANEL_NAMES } from './panel-names.ts';

const TOKEN = 'd'.repeat(64);

function reply(request: ChatRequestBody): ScriptedReply {
  const goal = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
  if (goal.includes('paris')) return { content: 'Visit the **Eiffel tower** early.\n\n| day | plan |\n|---|---|\n| 1 | Louvre |' };
  return { content: `Noted: ${goal}` };
}

/** Serious or critical axe violations on the page as it is now, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

describe.skipIf(e2eMissing)('app shell (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  const sessions = () => page.getByRole('list', { name: 'Sessions' });
  const send = async (text: string) => {
    await page.getByLabel('Message').fill(text);
    await page.getByLabel('Message').press('Enter');
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
  };

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply });
    runtime = new Runtime({ config: testConfig('', ollama.url), tools: [echoTool('write_note', 'write')] });
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

  it('conversations: search by answer text, rename, export Markdown, delete', async () => {
    await send('plan a day in paris');
    await page.getByRole('button', { name: 'New chat' }).click();
    await send('buy milk');
    await sessions().getByText('plan a day in paris').waitFor();

    await page.getByLabel('Search conversations').fill('eiffel');
    await eventually(() => sessions().getByRole('listitem').count()).toBe(1);
    expect(await sessions().textContent()).toContain('Eiffel tower');
    await page.getByLabel('Search conversations').fill('');
    await eventually(() => sessions().getByRole('listitem').count()).toBe(2);

    await page.getByRole('button', { name: /^Actions for (Chat: )?plan a day in paris$/ }).click();
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Conversation title').fill('Paris trip');
    await page.getByLabel('Conversation title').press('Enter');
    await sessions().getByText('Paris trip').waitFor();

    await page.getByRole('button', { name: 'Actions for Paris trip' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Markdown' }).click()]);
    expect(download.suggestedFilename()).toBe('Paris-trip.md');
    const markdown = fs.readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain('# Paris trip');
    expect(markdown).toContain('plan a day in paris');
    expect(markdown).toContain('Visit the **Eiffel tower** early.');

    await page.getByRole('button', { name: /^Actions for (Chat: )?buy milk$/ }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete with its memory' }).click();
    await eventually(() => sessions().getByRole('listitem').count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'with its memory' }).textContent()).toContain('Undo'); // gone for good when the toast ends
    expect(await sessions().textContent()).not.toContain('buy milk');
    await eventually(async () => (await runtime.services.memory!.sessions()).some((s) => s.goal === 'buy milk')).toBe(false);
    await shot('sidebar-conversations');
  });

  it('command palette (Ctrl+K) jumps to a panel or a conversation; Ctrl+/ lists the shortcuts', async () => {
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await palette.getByRole('combobox', { name: 'Command' }).fill('memory');
    await shot('command-palette');
    await palette.getByRole('combobox', { name: 'Command' }).press('Enter');
    await page.getByRole('region', { name: 'Memory' }).waitFor();
    expect(await palette.isVisible()).toBe(false);

    await page.keyboard.press('Control+k');
    await palette.getByRole('combobox', { name: 'Command' }).fill('paris');
    await palette.getByRole('combobox', { name: 'Command' }).press('Enter');
    await eventually(() => page.locator('.user-bubble').allTextContents()).toEqual(['plan a day in paris']);

    await page.keyboard.press('Control+/');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Command palette');
    await page.keyboard.press('Escape');
    await eventually(() => help.isVisible()).toBe(false);
  });

  it('theme: dark from the sidebar, kept after a reload; back to the system setting', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.reload();
    await page.getByRole('navigation', { name: 'Panels' }).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.getByRole('list', { name: 'Sessions' }).getByText('Paris trip').click();
    await page.locator('.answer table').waitFor();
    await shot('chat-dark-theme');
    await page.getByLabel('Theme').selectOption('system');
    expect(await page.locator('html').getAttribute('data-theme')).toBeNull();
  });

  it('at 800 px the sidebar collapses; it opens over the chat and closes after picking a conversation', async () => {
    await page.setViewportSize({ width: 800, height: 700 });
    try {
      await eventually(() => page.getByRole('navigation', { name: 'Panels' }).count()).toBe(0);
      const chatWidth = await page.locator('.chat-scroll').evaluate((el) => el.clientWidth);
      expect(chatWidth).toBeGreaterThan(760);
      await shot('narrow-800-chat');
      await page.getByRole('button', { name: 'Show sidebar' }).click();
      await page.getByRole('navigation', { name: 'Panels' }).waitFor();
      await shot('narrow-800-sidebar');
      await sessions().getByText('Paris trip').click();
      await eventually(() => page.getByRole('navigation', { name: 'Panels' }).count()).toBe(0);
      await page.getByLabel('Message').waitFor();
    } finally {
      await page.setViewportSize({ width: 1200, height: 800 });
    }
  });

  it('every panel at 1280 and 800 px (screenshots to look at)', async () => {
    await eventually(() => page.getByRole('navigation', { name: 'Panels' }).count()).toBe(1);
    for (const name of PANEL_NAMES) {
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name, exact: true }).click();
      await page.waitForTimeout(300); // the panel's first load
      const file = name.toLowerCase().replace(/\W+/g, '-');
      await shot(`panel-${file}-1280`);
      await page.setViewportSize({ width: 800, height: 860 });
      await eventually(() => page.getByRole('navigation', { name: 'Panels' }).count()).toBe(0);
      await shot(`panel-${file}-800`);
    }
    await page.setViewportSize({ width: 1200, height: 800 });
    await eventually(() => page.getByRole('navigation', { name: 'Panels' }).count()).toBe(1);
  }, 120_000);

  it('every panel passes axe-core without serious violations, in light and dark', async () => {
    await eventually(() => page.getByRole('navigation', { name: 'Panels' }).count()).toBe(1);
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      for (const name of PANEL_NAMES) {
        await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name, exact: true }).click();
        await page.waitForTimeout(300); // the panel's first load
        for (const line of await seriousViolations(page)) found.push(`${theme} ${name}: ${line}`);
      }
    }
    await page.getByLabel('Theme').selectOption('system');
    expect(found).toEqual([]);
  }, 240_000);
});
