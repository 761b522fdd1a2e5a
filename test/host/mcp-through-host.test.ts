// `rein mcp` with a host running on the data dir: run_agent runs in the host (the desktop app sees it like any run),
// the MCP client gets its progress and answers its approval by elicitation, and a role applies there too.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserQuestion } from '../../src/common/index.ts';
import { connectHost, type HostConnection } from '../../src/host/client.ts';
import { relayQuestions } from '../../src/runtime/agents/spawner.ts';
import { REIN_BIN } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { startHostProcess, type HostProcess } from './host-process.ts';

describe('rein mcp through the host', () => {
  let ollama: ScriptedOllama;
  let host: HostProcess;
  let desktop: HostConnection;
  let home: string;
  let client: Client;
  let stderr = '';

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    home = tempDir('rein-mcp-host-');
    fs.writeFileSync(path.join(home, 'rein.yaml'), 'agents:\n  roles:\n    reader: { description: reads, tools: ["recall"], system_prompt: "You only read." }\n');
    host = await startHostProcess(home, ollama.url);
    desktop = await connectHost(host.info);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [REIN_BIN, 'mcp'],
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REIN_HOME: home, OLLAMA_HOST: ollama.url, NO_COLOR: '1' },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    client = new Client({ name: 'claude-desktop', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    await client.connect(transport);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    desktop?.close();
    await host?.stop();
    await ollama?.close();
  });

  it('runs run_agent in the host: the run is the host\'s, its approval is answered by the MCP client', async () => {
    expect(stderr).toContain(`runs go to the Rein host of ${home} (pid ${host.info.pid})`);
    const asked: UserQuestion[] = [];
    relayQuestions(client, 'rein', { ask: async (question) => (asked.push(question), { action: 'accept', by: 'claude-desktop' }) });
    ollama.script([{ toolCalls: [{ name: 'forget', arguments: { id: 7 } }] }, { content: 'Forgot it.' }]);
    const result = await client.callTool({ name: 'run_agent', arguments: { goal: 'forget note 7' } }, undefined, { timeout: 60_000 });
    expect(result.structuredContent).toMatchObject({ status: 'completed', answer: 'Forgot it.', steps: 2 });
    const runId = (result.structuredContent as { sessionId: string }).sessionId;
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ kind: 'approval', details: { tool: 'forget', args: { id: 7 } } });
    // The desktop app (another client of the host) lists the run and its events.
    expect((await desktop.api.runs.list()).map((r) => r.runId)).toContain(runId);
    const events = await desktop.api.runs.events(runId);
    expect(events.find((e) => e.type === 'approval.resolved')).toMatchObject({ decision: 'allow_once' });
  }, 90_000);

  it('a role narrows the host run\'s tools; an unknown role is a clear tool error', async () => {
    ollama.script([{ content: 'read it' }]);
    const before = ollama.chatRequests.length;
    await client.callTool({ name: 'run_agent', arguments: { goal: 'look', role: 'reader' } }, undefined, { timeout: 60_000 });
    const request = ollama.chatRequests[before]!;
    expect(request.tools?.map((t) => t.function.name)).toEqual(['recall']);
    expect(request.messages[0]!.content).toContain('You only read.');
    const unknown = await client.callTool({ name: 'run_agent', arguments: { goal: 'look', role: 'nobody' } });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain('nobody');
  }, 90_000);
});
