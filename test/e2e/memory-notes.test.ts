// Managing memory notes in the Memory panel (Chromium against an in-process server with the real memory capability):
// pin a note and see it in the next run's system prompt, edit a note in place (Enter saves, Escape cancels), delete
// with "Undo" bringing the note back under its id, the pinned bound refused with its reason; axe-core clean; 800/1280 px.
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.ts';
import { SqliteMemoryStore } from '../../src/runtime/memory/index.ts';
import { testConfig } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../support/scripted-ollama.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = 'f'.repeat(64);
const EMBED = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words' as const, embeddingDimensions: 64 };
const NOTES = ['Always answer in British English.', 'The staging database listens on port 5433.', 'Deploys happen on Tuesdays.', `Glossary: ${'term '.repeat(230)}`];

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('[aria-label="Memory"]').analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

describe.skipIf(e2eMissing)('memory notes: pin, edit, undo delete (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  const ids: number[] = [];
  const panel = () => page.getByRole('region', { name: 'Memory' });
  const card = (id: number): Locator => panel().getByRole('listitem', { name: `Note ${id}`, exact: true });

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, EMBED], replies: () => ({ content: 'Right-o.' }) });
    const config = testConfig('', ollama.url);
    const store = new SqliteMemoryStore(config.memory.path);
    for (const content of NOTES) ids.push((await store.addNote({ content, kind: 'fact', source: 'user' })).id);
    await store.close();
    runtime = new Runtime({ config });
    await runtime.start();
    ui = await openServedUi(runtime, TOKEN);
    ({ page, shot } = ui);
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Memory' }).click();
    await card(ids[0]!).waitFor();
  }, 60_000);
  afterAll(async () => {
    await ui?.close();
    await runtime?.close();
    await ollama?.close();
  });

  it('pins a note: it moves to the Pinned group with the bound, and the next run gives it to the model', async () => {
    expect(await panel().textContent()).toContain('No pinned notes.');
    await card(ids[0]!).getByRole('button', { name: 'Pin' }).click();
    const pinned = panel().getByRole('list', { name: 'Pinned notes' });
    await eventually(() => pinned.textContent()).toContain(NOTES[0]);
    expect(await panel().getByRole('group', { name: 'Pinned' }).textContent()).toContain('1 of 10 notes · 33 of 1,000 characters');
    expect(await panel().getByRole('list', { name: 'Notes', exact: true }).textContent()).not.toContain(NOTES[0]);

    // a note over the bound is refused with the reason
    await card(ids[3]!).getByRole('button', { name: 'Pin' }).click();
    await eventually(() => card(ids[3]!).getByRole('alert').textContent()).toMatch(new RegExp(`cannot pin note ${ids[3]}: pinned notes would total \\d+ characters, over the 1000`));
    await card(ids[3]!).scrollIntoViewIfNeeded();
    await shot('memory-notes-pin-refused');
    // a long note shows its first lines until expanded
    await card(ids[3]!).getByRole('button', { name: 'Show all' }).click();
    expect(await card(ids[3]!).getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
    await card(ids[3]!).getByRole('button', { name: 'Show less' }).click();

    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('hello there');
    await page.getByLabel('Message').press('Enter');
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
    expect(ollama.chatRequests.at(-1)!.messages[0]!.content).toContain(`Pinned notes (the user asked that you always keep these in mind):\n- [note ${ids[0]}] ${NOTES[0]}`);
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Memory' }).click();
    await card(ids[0]!).waitFor();
  });

  it('edits a note in place: Escape cancels, Enter saves; recall finds the new text', async () => {
    const deploys = card(ids[2]!);
    await deploys.getByRole('button', { name: 'Edit' }).click();
    const editor = deploys.getByRole('textbox', { name: `Text of note ${ids[2]}` });
    await editor.fill('Deploys happen on Thursdays.');
    await editor.press('Escape');
    await eventually(() => deploys.getByRole('textbox').count()).toBe(0);
    expect(await deploys.textContent()).toContain('Deploys happen on Tuesdays.');

    await deploys.getByRole('button', { name: 'Edit' }).click();
    await editor.fill('Deploys happen on Thursdays after the stand-up.');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('memory-notes-editing');
    await editor.press('Enter');
    await eventually(() => deploys.textContent()).toContain('Deploys happen on Thursdays after the stand-up.');
    expect(await deploys.getByRole('textbox').count()).toBe(0);
    expect(await runtime.services.memory!.getNote(ids[2]!)).toMatchObject({ text: 'Deploys happen on Thursdays after the stand-up.' });
    expect((await runtime.services.memory!.searchNotes('thursdays stand-up', 3)).map((n) => n.id)).toContain(ids[2]);
  });

  it('deletes a note with "Undo" for a few seconds: undo restores it under the same id', async () => {
    await card(ids[1]!).getByRole('button', { name: 'Delete' }).click();
    const toast = page.getByRole('status').filter({ hasText: `Note ${ids[1]} deleted` });
    await toast.waitFor();
    await eventually(() => card(ids[1]!).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('memory-notes-undo');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await card(ids[1]!).waitFor();
    expect(await card(ids[1]!).textContent()).toContain(`${NOTES[1]}note ${ids[1]} · fact from user`);
    await eventually(() => toast.count()).toBe(0);

    // without undo the toast goes away on its own and the note stays deleted
    await card(ids[1]!).getByRole('button', { name: 'Delete' }).click();
    await toast.waitFor();
    await eventually(() => toast.count()).toBe(0);
    await expect(runtime.services.memory!.getNote(ids[1]!)).rejects.toThrow(`no note ${ids[1]}`);
  }, 60_000);

  it('looks right at 800 and 1280 px, light and dark, with no serious axe violations', async () => {
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      for (const width of [800, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const line of await seriousViolations(page)) found.push(`${theme} ${width}: ${line}`);
        await shot(`memory-notes-${theme}-${width}`);
      }
    }
    await page.getByLabel('Theme').selectOption('system');
    await page.setViewportSize({ width: 1200, height: 800 });
    expect(found).toEqual([]);
  }, 60_000);
});
