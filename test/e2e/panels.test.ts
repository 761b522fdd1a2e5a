// Approvals, skills and MCP panels in Chromium, against an in-process server whose runtime has the real
// capabilities: policy (its default asks before writes), the skill library on temp folders, MCP servers over stdio.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryExtension, Runtime } from '../../src/runtime/index.ts';
import { echoTool, tempDir, testConfig } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { EVERYTHING, stdioServer } from '../runtime/mcp/helpers.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const SUMMARIZE = `${JSON.stringify({ name: 'summarize', description: 'Summarize a file', triggers: ['summarize', 'tl;dr'], instructions: 'Read the file, then summarize it.' }, null, 2)}\n`;
const BROKEN = `  - name: broken\n    command: ${JSON.stringify(process.execPath)}\n    args: ["-e", "console.error('Error: Cannot find module ./server.js'); process.exit(1)"]\n`;

const TOKEN = 'a'.repeat(64);

function reply(request: ChatRequestBody): ScriptedReply {
  const result = request.messages.find((m) => m.role === 'tool');
  if (result) return { content: result.content.includes('not approved') ? 'Understood, I did not write it.' : 'The note is written.' };
  return { content: 'Writing. ', toolCalls: [{ name: 'write_note', arguments: { text: 'remember the milk' } }] };
}

describe.skipIf(e2eMissing)('capability panels (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  let registry: string;
  const nav = (name: string) => page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name }).click();

  beforeAll(async () => {
    // The chat model plus the embedding model skills and memory use (memory.embed_model).
    ollama = await ScriptedOllama.start({ replies: reply, models: [DEFAULT_MODEL, { name: 'nomic-embed-text:latest', capabilities: ['embedding'] }] });
    registry = tempDir('rein-e2e-skills-');
    fs.writeFileSync(path.join(registry, 'summarize.json'), SUMMARIZE);
    const yaml = `skills: { registry: ${JSON.stringify(registry)} }\nmcp_servers:\n${stdioServer('everything', EVERYTHING, ['stdio'])}${BROKEN}`;
    runtime = new Runtime({ config: testConfig(yaml, ollama.url), tools: [echoTool('write_note', 'write')] });
    await runtime.start();
    ui = await openServedUi(runtime, TOKEN);
    ({ page, shot } = ui);
  }, 60_000);
  afterAll(async () => {
    await ui?.close();
    await runtime?.close();
    await ollama?.close();
  });

  it('a tool call needing approval shows the card with its arguments; allowing it runs the tool', async () => {
    await page.getByLabel('Message').fill('write a note');
    await page.getByLabel('Message').press('Enter');
    const card = page.getByRole('dialog', { name: 'Approval: Allow write_note?' });
    await card.waitFor();
    expect(await card.textContent()).toContain('remember the milk');
    expect(await card.textContent()).toContain('default for writing tools');
    await shot('approval');
    await card.getByRole('button', { name: 'Allow once' }).click();
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
    expect(await page.getByRole('group', { name: 'Tool call write_note' }).textContent()).toContain('ok');
    expect(await page.locator('.answer').last().textContent()).toContain('The note is written.');
  });

  it('denying with a reason tells the model', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('write another note');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('dialog', { name: 'Approval: Allow write_note?' });
    await card.getByLabel('Reason for denying').fill('not now');
    await card.getByRole('button', { name: 'Deny' }).click();
    await eventually(() => page.getByLabel('Run status').textContent()).toContain('completed');
    expect(await page.locator('.answer').last().textContent()).toContain('I did not write it');
    const told = ollama.chatRequests.at(-1)!.messages.find((m) => m.role === 'tool');
    expect(told?.content).toMatch(/write_note was not approved .*: not now/);
    await nav('Approvals');
    await eventually(() => page.getByRole('region', { name: 'Approvals' }).textContent()).toContain('denied once by');
  });

  it('skills: a bundled skill edited with a validation error shown by line, then saved to a user copy and rolled back', async () => {
    await nav('Skills');
    await page.getByRole('button', { name: /summarize/ }).click();
    const editor = page.getByLabel('Skill (JSON)');
    // the chats above used it: its outcome counts already live in a copy in the user's skills folder
    await eventually(() => editor.innerText()).toContain('"success_count": 2');
    await editor.fill('{\n  "name": "summarize",\n}');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('alert', { name: 'Validation errors' }).textContent()).toContain('summarize.json:3');
    await editor.fill(SUMMARIZE.replace('then summarize it.', 'then summarize it in three bullets.'));
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Saved v2' }).count()).toBe(1);
    expect(fs.readFileSync(path.join(registry, 'summarize.json'), 'utf8')).toBe(SUMMARIZE);
    expect((await runtime.services.skills!.get('summarize')).text).toContain('three bullets');
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await eventually(() => page.getByText('Roll back to v2').count()).toBe(1);
    await eventually(async () => (await page.getByLabel('Skill (JSON)').innerText()).trim()).toBe(SUMMARIZE.trim());
    await shot('skills');
  });

  it('MCP: servers with status, the failing one with its error and stderr, and tools', async () => {
    await nav('MCP servers');
    const broken = page.getByRole('listitem', { name: 'Server broken', exact: true });
    await broken.waitFor();
    expect(await broken.textContent()).toContain('failed');
    await broken.getByText(/stderr \(\d+ lines\)/).click();
    expect(await broken.textContent()).toContain('Cannot find module ./server.js');
    const everything = page.getByRole('listitem', { name: 'Server everything', exact: true });
    await eventually(() => everything.textContent()).toContain('everything__echo');
    await shot('mcp');
    // restart from the panel: the list follows the server's state live and its tools come back
    await everything.getByRole('button', { name: 'Restart' }).click();
    await eventually(() => everything.textContent()).toContain('stdio · ready');
    await eventually(() => everything.textContent()).toContain('everything__echo');
    // this server lives in another config layer than the file the app writes: disabling says so instead of pretending
    await everything.getByRole('button', { name: 'Disable' }).click();
    await eventually(() => page.getByRole('region', { name: 'MCP servers' }).getByRole('alert').last().textContent()).toContain('change it where it is configured');
  });

  it('memory: finds a note by its words (run endings are not notes), and lists a chat as a session with its episodic log', async () => {
    await runtime.extensionOf(MemoryExtension)!.remember('The milk goes in the fridge.');
    await nav('Memory');
    const panel = page.getByRole('region', { name: 'Memory' });
    await page.getByLabel('Search notes').fill('fridge milk');
    await eventually(() => panel.getByRole('list', { name: 'Notes' }).textContent()).toContain('The milk goes in the fridge.');
    await page.getByLabel('Search notes').fill('write a note');
    await eventually(() => panel.getByRole('list', { name: 'Notes' }).textContent()).not.toContain('completed');
    const session = panel.getByRole('list', { name: 'Memory sessions' }).getByRole('listitem').filter({ hasText: 'write a note' }).first();
    expect(await session.textContent()).toContain('completed');
    await session.getByRole('button').click();
    const timeline = panel.getByLabel('Session timeline');
    await eventually(() => timeline.textContent()).toContain('The note is written.');
    expect(await timeline.getByRole('group', { name: 'Tool call write_note' }).textContent()).toContain('ok');
    await timeline.getByText(/Event log \(\d+ events\)/).click();
    expect(await panel.getByRole('list', { name: 'Episodic log' }).textContent()).toContain('write_note: echo: remember the milk');
    await shot('memory-notes');
  });
  it('insights: skills, tools, approvals per rule and models, from the chats above', async () => {
    await nav('Insights');
    const panel = page.getByRole('region', { name: 'Insights' });
    await eventually(() => panel.getByRole('table', { name: 'Approvals by rule' }).textContent()).toContain('default for writing tools');
    const rule = panel.getByRole('table', { name: 'Approvals by rule' }).getByRole('row').filter({ hasText: 'default for writing tools' });
    expect(await rule.locator('td').allTextContents()).toEqual(['2', '1', '1']);
    // one allowed call, one denied by the user: a denial, not a failure of the tool
    const tool = panel.getByRole('table', { name: 'Tools' }).getByRole('row').filter({ hasText: 'write_note' });
    expect((await tool.locator('td').allTextContents()).slice(0, 3)).toEqual(['2', '0 (0%)', '1']);
    expect(await panel.getByRole('table', { name: 'Skills' }).textContent()).toContain('summarize');
    expect(await panel.getByRole('table', { name: 'Models' }).textContent()).toContain('qwen3:4b');
    await shot('insights');
  });
});
