// agents.max_served_runs holds per host: with a host on the data dir, run_agent calls from two `rein mcp` processes
// (two MCP clients, e.g. Claude Desktop and Cursor) count together; one past the limit is refused "busy".
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REIN_BIN } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { startHostProcess, type HostProcess } from './host-process.ts';

describe('agents.max_served_runs through the host', () => {
  let ollama: ScriptedOllama;
  let host: HostProcess;
  let home: string;
  const clients: Client[] = [];

  const mcpClient = async (name: string) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [REIN_BIN, 'mcp'],
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REIN_HOME: home, OLLAMA_HOST: ollama.url, NO_COLOR: '1', REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR ?? '' },
      stderr: 'pipe',
    });
    const client = new Client({ name, version: '1' });
    await client.connect(transport);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    home = tempDir('rein-served-');
    fs.writeFileSync(path.join(home, 'rein.yaml'), 'agents:\n  max_served_runs: 1\n');
    host = await startHostProcess(home, ollama.url);
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.close();
    await host?.stop();
    await ollama?.close();
  });

  it('a second rein mcp process is refused while the first one\'s run goes; afterwards it may run', async () => {
    const [first, second] = [await mcpClient('claude-desktop'), await mcpClient('cursor')];
    // The first run's model answer is held until the second call was refused.
    const { promise: held, resolve: release } = Promise.withResolvers<void>();
    ollama.script(() => ({ content: 'slow answer', waitFor: held }));
    const asked = ollama.chatRequests.length;
    const running = first.callTool({ name: 'run_agent', arguments: { goal: 'a slow job' } }, undefined, { timeout: 60_000 });
    await expect.poll(() => ollama.chatRequests.length, { timeout: 30_000 }).toBeGreaterThan(asked); // the first run is going in the host
    const refused = await second.callTool({ name: 'run_agent', arguments: { goal: 'another job' } }, undefined, { timeout: 60_000 });
    release();
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('busy: 1 run_agent calls are already running on this host (agents.max_served_runs: 1)');
    expect((await running).structuredContent).toMatchObject({ status: 'completed', answer: 'slow answer' });
    ollama.script(() => ({ content: 'now it runs' }));
    const later = await second.callTool({ name: 'run_agent', arguments: { goal: 'another job' } }, undefined, { timeout: 60_000 });
    expect(later.structuredContent).toMatchObject({ status: 'completed', answer: 'now it runs' });
  }, 120_000);
});
