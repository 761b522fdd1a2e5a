// Settings in Chromium: a value and a policy rule saved from the panel land in the rein.yaml in use with its comments
// kept; an invalid value is refused inline next to its field and nothing is written; Ctrl+K finds the settings.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, parseConfig } from '../../src/runtime/index.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { seriousViolations } from './axe.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = 'e'.repeat(64);

const YAML = (url: string) => `# Rein at home — my notes stay here
model:
  provider: ollama
  base_url: ${url}
  temperature: 0.2 # a little creative
policy:
  rules:
    # payments always ask
    - tool: "payments__*"
      when: { args.amount: { gt: 100 } }
      effect: ask
      reason: big payments need a look
`;

describe.skipIf(e2eMissing)('settings (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  let file: string;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    const dir = tempDir('rein-e2e-settings-');
    file = path.join(dir, 'rein.yaml');
    fs.writeFileSync(file, YAML(ollama.url));
    const config = parseConfig(fs.readFileSync(file, 'utf8'), { file, env: { REIN_HOME: tempDir() }, baseDir: dir });
    runtime = new Runtime({ config });
    await runtime.start();
    ui = await openServedUi(runtime, TOKEN);
    ({ page, shot } = ui);
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('region', { name: 'Settings' }).getByRole('heading', { name: 'Model', exact: true }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await ui?.close();
    await runtime?.close();
    await ollama?.close();
  });

  const section = (name: string) => page.getByRole('region', { name });

  it('shows the settings the runtime runs with and where they are saved, the rules as readable rows', async () => {
    const panel = section('Settings');
    expect(await panel.textContent()).toContain(file);
    expect(await section('Model').getByLabel('Temperature').inputValue()).toBe('0.2');
    const row = panel.getByRole('table', { name: 'Policy rules' }).getByRole('row', { name: 'Rule 1' });
    expect(await row.locator('td').allTextContents()).toEqual(['payments__*', 'amount > 100', 'Ask first', 'big payments need a look', expect.any(String)]);
    expect(await section('Network and models').getByLabel('Only models on this computer').isChecked()).toBe(true);
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(`settings-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('refuses an invalid value inline, next to its field, and writes nothing', async () => {
    const before = fs.readFileSync(file, 'utf8');
    const model = section('Model');
    await model.getByLabel('Temperature').fill('5');
    await model.getByRole('button', { name: 'Save model' }).click();
    const field = model.getByLabel('Temperature');
    await eventually(() => field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ');
    const error = page.locator(`[id="${describedBy.at(-1)}"]`);
    expect(await error.textContent()).toMatch(/2/);
    expect(await page.locator(':focus').getAttribute('data-setting')).toBe('model.temperature');
    await shot('settings-invalid');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    // not a number at all: refused before it is sent
    await field.fill('warm');
    await model.getByRole('button', { name: 'Save model' }).click();
    await eventually(() => error.textContent()).toContain('"warm" is not a number');
  });

  it('saves a value into rein.yaml with its comments kept, used by the next run', async () => {
    const model = section('Model');
    await model.getByLabel('Temperature').fill('0.6');
    await model.getByRole('button', { name: 'Save model' }).click();
    await eventually(() => model.getByRole('status').textContent()).toBe('Saved.');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# Rein at home — my notes stay here');
    expect(text).toContain('temperature: 0.6 # a little creative');
    expect(text).toContain('# payments always ask');
    expect(runtime.config.model.temperature).toBe(0.6);
    await section('Behaviour').getByLabel('System prompt').fill('Answer in one sentence.');
    await section('Behaviour').getByRole('button', { name: 'Save behaviour' }).click();
    await eventually(() => fs.readFileSync(file, 'utf8')).toContain('system_prompt: Answer in one sentence.');
  });

  it('keeps a pasted API key in the keychain, never in rein.yaml or on screen, and removes it again', async () => {
    const model = section('Model');
    const key = model.getByLabel('API key');
    expect(await key.getAttribute('type')).toBe('password');
    expect(await key.getAttribute('placeholder')).toMatch(/^none/);
    await key.fill('sk-local-vllm-4242');
    await model.getByRole('button', { name: 'Save model' }).click();
    await eventually(() => model.getByRole('status').textContent()).toBe('Saved.');
    expect(fs.readFileSync(file, 'utf8')).toContain('api_key: keychain:ollama');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-local-vllm-4242');
    expect(runtime.config.model.api_key).toBe('sk-local-vllm-4242');
    expect(await key.inputValue()).toBe('');
    expect(await key.getAttribute('placeholder')).toBe('stored in the keychain as "ollama" — paste a new key to replace it');
    expect(await page.content()).not.toContain('sk-local-vllm-4242');
    await page.locator('#settings-model').evaluate((element) => { element.scrollIntoView({ block: 'start' }); });
    await shot('settings-api-key');
    await model.getByRole('button', { name: 'Remove key' }).click();
    await eventually(() => key.getAttribute('placeholder')).toMatch(/^none/);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('api_key');
    expect(runtime.config.model.api_key).toBeUndefined();
  });

  it('adds a named policy rule from readable fields; the file gets it after the commented one', async () => {
    const rules = section('Policy rules');
    await rules.getByRole('button', { name: 'Add a rule' }).click();
    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Name', { exact: true }).fill('No deleting files');
    await form.getByLabel('Tool', { exact: true }).fill('fs__delete_file');
    await form.getByLabel('Effect', { exact: true }).selectOption('deny');
    await form.getByRole('button', { name: 'Add a condition' }).click();
    await form.getByLabel('Condition 1 argument').fill('path');
    await form.getByLabel('Condition 1 test').selectOption('glob');
    await form.getByLabel('Condition 1 value').fill('~/Documents/**');
    await form.getByLabel('Reason', { exact: true }).fill('documents are kept');
    await shot('settings-rule-form');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const row = rules.getByRole('row', { name: 'Rule No deleting files' });
    await row.waitFor();
    expect(await row.textContent()).toContain('path matches ~/Documents/**');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# payments always ask');
    expect(text).toMatch(/- name: No deleting files\n\s+tool: fs__delete_file\n\s+when:\n\s+args\.path:\n\s+glob: ~\/Documents\/\*\*\n\s+effect: deny\n\s+reason: documents are kept/);
    expect(runtime.config.policy.rules.map((r) => r.name)).toEqual([undefined, 'No deleting files']);
    await shot('settings-rules');
    // an incomplete rule is refused in the form, at its field
    await rules.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByRole('form', { name: 'New rule' }).getByRole('button', { name: 'Add rule' }).click();
    expect(await page.getByRole('form', { name: 'New rule' }).getByRole('alert').textContent()).toContain('name the tool');
    await page.getByRole('form', { name: 'New rule' }).getByRole('button', { name: 'Cancel' }).click();
  });

  it('Ctrl+K finds a setting by what it is called', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Chat' }).click();
    await page.keyboard.press('Control+k');
    await page.getByLabel('Command', { exact: true }).fill('system prompt');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator(':focus').getAttribute('data-setting')).toBe('runtime.system_prompt');
  });
});
