// Approvals, skills and MCP panels in Chromium, against an in-process server whose runtime has those services.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpApi } from '../../src/common/index.ts';
import { Runtime, createRuntimeApi } from '../../src/runtime/index.ts';
import { DEFAULT_RENDERER_DIR, startServer, type RunningServer } from '../../src/server/index.ts';
import { echoTool, testConfig } from '../support/fixtures.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';
import { e2eMissing, eventually, openBrowser } from './browser.ts';
import { askBeforeWrites, mcpDouble, skillsDouble } from './capability-doubles.ts';

const TOKEN = 'a'.repeat(64);

function reply(request: ChatRequestBody): ScriptedReply {
  const result = request.messages.find((m) => m.role === 'tool');
  if (result) return { content: result.content.includes('denied') ? 'Understood, I did not write it.' : 'The note is written.' };
  return { content: 'Writing. ', toolCalls: [{ name: 'write_note', arguments: { text: 'remember the milk' } }] };
}

describe.skipIf(e2eMissing)('capability panels (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  const nav = (name: string) => page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name }).click();

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply });
    runtime = new Runtime({ config: testConfig('', ollama.url), tools: [echoTool('write_note', 'write')], extensions: [askBeforeWrites] });
    runtime.services.skills = skillsDouble();
    runtime.services.mcp = mcpDouble() as McpApi;
    server = await startServer({ api: createRuntimeApi(runtime), token: TOKEN, rendererDir: DEFAULT_RENDERER_DIR, port: 0 });
    ({ context, page, shot } = await openBrowser());
    await page.goto(`${server.url}/#token=${TOKEN}`);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
    await runtime?.close();
    await ollama?.close();
  });

  it('a tool call needing approval shows the card with its arguments; allowing it runs the tool', async () => {
    await page.getByLabel('Message').fill('write a note');
    await page.getByLabel('Message').press('Enter');
    const card = page.getByRole('dialog', { name: 'Approval: Allow write_note?' });
    await card.waitFor();
    expect(await card.textContent()).toContain('remember the milk');
    expect(await card.textContent()).toContain('ask-writes');
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
    expect(told?.content).toContain('denied by the user: not now');
  });

  it('skills: edit with a validation error shown inline, then save a new version and roll back', async () => {
    await nav('Skills');
    await page.getByRole('button', { name: /summarize/ }).click();
    await page.getByLabel('Manifest (JSON)').fill('{ not json');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert', { name: 'Validation errors' }).waitFor();
    await page.getByLabel('Manifest (JSON)').fill('{"name": "summarize", "v": 2}');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Saved v2' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await eventually(() => page.getByText('Roll back to v2').count()).toBe(1);
    await eventually(() => page.getByLabel('Manifest (JSON)').inputValue()).toBe('{"name": "summarize"}');
    await shot('skills');
  });

  it('MCP: servers with status, the failing one with its error and stderr, and tools', async () => {
    await nav('MCP servers');
    const broken = page.getByRole('listitem', { name: 'Server broken' });
    await broken.waitFor();
    expect(await broken.textContent()).toContain('exited with code 1 before the handshake');
    await broken.getByText('stderr (1 lines)').click();
    expect(await broken.textContent()).toContain('Cannot find module ./server.js');
    expect(await page.getByRole('listitem', { name: 'Server files' }).textContent()).toContain('files__read_file');
    await shot('mcp');
  });
});
