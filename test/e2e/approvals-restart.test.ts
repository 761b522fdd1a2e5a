// A policy approval asked by a run that ended with the app (closed before anyone answered) is still listed in the
// Approvals panel after a restart, with its rule and run, and denying it there (with a reason) is recorded.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, createRuntimeApi } from '../../src/runtime/index.ts';
import { echoTool, testConfig } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = 'b'.repeat(64);

describe.skipIf(e2eMissing)('approvals after a restart (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let runId: string;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: () => ({ content: '', toolCalls: [{ name: 'write_note', arguments: { text: 'left waiting' } }] }) });
    const config = testConfig('', ollama.url);
    const tools = [echoTool('write_note', 'write')];
    const before = new Runtime({ config, tools, trace: false });
    const api = createRuntimeApi(before);
    const asked = new Promise<void>((resolve) => api.onEvent((e) => e.type === 'question.asked' && resolve()));
    ({ runId } = await api.runs.start({ goal: 'write a note' }));
    await asked;
    await before.close();

    runtime = new Runtime({ config, tools, trace: false });
    await runtime.start();
    ui = await openServedUi(runtime, TOKEN);
    ({ page } = ui);
  }, 60_000);
  afterAll(async () => {
    await ui?.close();
    await runtime?.close();
    await ollama?.close();
  });

  it('lists the persisted request and records a denial with its reason', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Approvals' }).click();
    const card = page.getByRole('listitem', { name: 'Approval write_note' });
    await card.waitFor();
    expect(await card.textContent()).toContain('default for writing tools');
    expect(await card.textContent()).toContain(runId);
    expect(await card.textContent()).toContain('left waiting');
    await card.getByLabel('Reason').fill('stale request');
    await card.getByRole('button', { name: 'Deny' }).click();
    const panel = page.getByRole('region', { name: 'Approvals' });
    await eventually(() => panel.textContent()).toContain('denied once by user: stale request');
    expect(await panel.textContent()).toContain('Nothing pending from earlier runs.');
    expect(await runtime.services.approvals!.pending()).toEqual([]);
  });
});
