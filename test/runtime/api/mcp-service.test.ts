// The MCP section over the real McpService with server-everything over stdio: status, tools, resources, prompts;
// adding a server writes it into the config file (comments kept) and starts it; a failing one shows why.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Runtime } from '../../../src/runtime/index.ts';
import { tempDir } from '../../support/fixtures.ts';
import { EVERYTHING, stdioServer } from '../mcp/helpers.ts';
import { startApi, type ApiHarness } from './helpers.ts';

describe('MCP service (server-everything over stdio)', () => {
  let h: ApiHarness;
  let file: string;
  let runtime: Runtime;
  beforeAll(async () => {
    const home = tempDir('rein-mcp-api-');
    file = path.join(home, 'rein.yaml');
    const yaml = `# my servers\nmcp_servers:\n${stdioServer('everything', EVERYTHING, ['stdio'])}`;
    fs.writeFileSync(file, yaml);
    const config = { ...parseConfig(yaml, { file, env: { REIN_HOME: home }, baseDir: home }), file };
    h = await startApi({ ...config, model: { ...config.model, provider: 'ollama', base_url: 'http://127.0.0.1:9' } });
    runtime = h.runtime;
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
  });

  it('lists servers with state and tool count, their tools, resources and prompts', async () => {
    const [server] = await h.client.mcp.servers();
    expect(server).toMatchObject({ name: 'everything', transport: 'stdio', state: 'ready', stderrTail: ['Starting default (STDIO) server...'] });
    expect(server!.toolCount).toBeGreaterThan(3);
    const tools = await h.client.mcp.tools('everything');
    expect(tools).toHaveLength(server!.toolCount);
    // Not marked trust_annotations: its readOnlyHint does not make echo a read tool.
    expect(tools.find((t) => t.tool === 'echo')).toMatchObject({ server: 'everything', name: 'everything__echo', capability: 'write' });
    const resources = await h.client.mcp.resources('everything');
    expect(resources.length).toBeGreaterThan(0);
    expect(resources[0]).toMatchObject({ server: 'everything', uri: expect.any(String), name: expect.any(String) });
    const prompts = await h.client.mcp.prompts('everything');
    expect(prompts.map((p) => p.name)).toContain('simple-prompt');
    await expect(h.client.mcp.resources('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('adding a server writes it into the config file, keeping comments, and starts it', async () => {
    const status = await h.client.mcp.add({ name: 'second', command: process.execPath, args: [EVERYTHING, 'stdio'] });
    expect(status).toMatchObject({ name: 'second', state: 'ready' });
    expect(status.toolCount).toBeGreaterThan(3);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# my servers');
    expect(parseConfig(text, { file, env: {} }).mcp_servers.map((s) => s.name)).toEqual(['everything', 'second']);
    expect(runtime.registry.get('second__echo')).toBeDefined();
    await expect(h.client.mcp.add({ name: 'second', command: process.execPath })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('already configured') });
  });

  it('a name the config would rename is refused before anything is written', async () => {
    const before = fs.readFileSync(file, 'utf8');
    await expect(h.client.mcp.add({ name: 'My Server', command: process.execPath })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('"my-server"') });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('disable, enable, restart and remove a server: the config file and the tools follow', async () => {
    await h.client.mcp.add({ name: 'third', command: process.execPath, args: [EVERYTHING, 'stdio'] });
    expect(runtime.registry.get('third__echo')).toBeDefined();
    const disabled = await h.client.mcp.setEnabled('third', false);
    expect(disabled).toMatchObject({ state: 'disabled', toolCount: 0 });
    expect(runtime.registry.get('third__echo')).toBeUndefined();
    expect(parseConfig(fs.readFileSync(file, 'utf8'), { file, env: {} }).mcp_servers.find((s) => s.name === 'third')?.enabled).toBe(false);
    expect((await h.client.mcp.setEnabled('third', true)).state).toBe('ready');
    expect(runtime.registry.get('third__echo')).toBeDefined();
    expect(fs.readFileSync(file, 'utf8')).not.toContain('enabled: false');
    expect((await h.client.mcp.restart('third')).state).toBe('ready');
    await h.client.mcp.remove('third');
    expect((await h.client.mcp.servers()).map((s) => s.name)).not.toContain('third');
    expect(runtime.registry.get('third__echo')).toBeUndefined();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# my servers');
    expect(parseConfig(text, { file, env: {} }).mcp_servers.map((s) => s.name)).not.toContain('third');
    await expect(h.client.mcp.remove('third')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a server that fails shows its reason and stderr tail', async () => {
    const status = await h.client.mcp.add({ name: 'broken', command: process.execPath, args: ['-e', "console.error('Error: Cannot find module ./server.js'); process.exit(1)"] });
    expect(status.state).toBe('failed');
    expect(status.reason).toBeTruthy();
    expect(status.stderrTail.join('\n')).toContain('Cannot find module ./server.js');
  });

  it('imports Claude Desktop JSON into the config file and starts the servers; bad JSON is a bad request', async () => {
    const json = JSON.stringify({ mcpServers: { 'third one': { command: process.execPath, args: [EVERYTHING, 'stdio'], disabled: false, note: 'x' } } });
    const result = await h.client.mcp.importClaudeDesktop(json);
    expect(result).toMatchObject({ file, added: ['third-one'] });
    expect(result.notes.map((n) => n.message).join('\n')).toMatch(/renamed from "third one"[\s\S]*unknown field "note"/);
    expect((await h.client.mcp.servers()).find((s) => s.name === 'third-one')).toMatchObject({ state: 'ready' });
    await expect(h.client.mcp.importClaudeDesktop('{ nope')).rejects.toMatchObject({ code: 'bad_request' });
  });
});
