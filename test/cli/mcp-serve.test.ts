import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ProgressNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { tempDir } from '../support/fixtures.ts';
import { TrustStore } from '../../src/runtime/index.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/rein.mjs');
const REPO = path.resolve(import.meta.dirname, '../..');
/** Audit keys go to the test's temp folder (test/support/keychain-env.ts). */
const KEYCHAIN_ENV = { REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR ?? '' };

describe('rein mcp', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('serves run_agent and list_skills over stdio, with progress, and exits when stdin closes', async () => {
    ollama.script([{ content: 'Four.' }]);
    const stdioHome = tempDir();
    new TrustStore(stdioHome).trust(REPO); // the repository's skills/ are used once its folder is trusted
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: { REIN_HOME: stdioHome, OLLAMA_HOST: ollama.url, ...KEYCHAIN_ENV }, stderr: 'pipe' });
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(transport);
    const pid = transport.pid!;
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['list_skills', 'run_agent']);
    // Read progress with our own handler: the SDK's onprogress drops notifications handled after the response.
    const progress: string[] = [];
    client.setNotificationHandler(ProgressNotificationSchema, (n) => void progress.push(n.params.message ?? ''));
    const result = await client.callTool({ name: 'run_agent', arguments: { goal: '2+2?', inputs: { hint: 'add' } } }, undefined, {
      onprogress: () => undefined,
    });
    expect(result.structuredContent).toMatchObject({ status: 'completed', answer: 'Four.', steps: 1, usage: { promptTokens: 10, completionTokens: 5 } });
    expect((result.structuredContent as { sessionId: string }).sessionId).toMatch(/^run_/);
    // (notices, e.g. memory saying the embedding model is missing, may come in between)
    expect(progress.filter((p) => p !== 'run.notice')).toEqual(['run.started', 'step 1: model turn done', 'run completed']);
    expect(ollama.chatRequests[0]!.messages[1]!.content).toContain('"hint": "add"');
    const skills = await client.callTool({ name: 'list_skills', arguments: {} });
    // The server runs in the repository, so its skill registry is the bundled ./skills.
    const names = (skills.structuredContent as { skills: { name: string }[] }).skills.map((s) => s.name);
    expect(names).toContain('refund_customer');
    await client.close();
    await waitGone(pid);
  }, 60_000);

  it('serves Streamable HTTP on 127.0.0.1 with a bearer token and rejects foreign Host/Origin', async () => {
    ollama.script([{ content: 'Hello over HTTP.' }]);
    const home = tempDir();
    new TrustStore(home).trust(REPO);
    const server = spawn(process.execPath, [BIN, 'mcp', '--http', '0'], { env: { PATH: process.env.PATH, REIN_HOME: home, OLLAMA_HOST: ollama.url, ...KEYCHAIN_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        server.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const match = /serving MCP on (\S+)/.exec(stderr);
          if (match && stderr.includes('bearer token')) resolve(match[1]!);
        });
        server.on('exit', () => reject(new Error(`rein mcp --http exited: ${stderr}`)));
      });
      const tokenFile = path.join(home, 'mcp-token');
      expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
      const token = fs.readFileSync(tokenFile, 'utf8').trim();
      const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
      expect((await fetch(url, { method: 'POST', headers, body: init })).status).toBe(401);
      expect((await fetch(url, { method: 'POST', headers: { ...headers, Authorization: 'Bearer wrong' }, body: init })).status).toBe(401);
      const authorized = { ...headers, Authorization: `Bearer ${token}` };
      expect((await fetch(url, { method: 'POST', headers: { ...authorized, Origin: 'http://evil.example.com' }, body: init })).status).toBe(403);
      expect((await fetch(url.replace('127.0.0.1', 'localhost'), { method: 'POST', headers: { ...authorized, Origin: 'http://localhost:5173' }, body: init })).status).toBe(200);

      const client = new Client({ name: 'test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      const result = await client.callTool({ name: 'run_agent', arguments: { goal: 'greet' } });
      expect(result.structuredContent).toMatchObject({ status: 'completed', answer: 'Hello over HTTP.' });
      await client.close();
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }, 60_000);

  it('rejects unknown subcommands and bad ports', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, REIN_HOME: tempDir(), ...KEYCHAIN_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const unknown = await run(['mcp', 'fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand "fly"');
    const badPort = await run(['mcp', '--http', 'abc']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--http needs a port number');
  }, 60_000);
});

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} is still running`);
}
