// `rein mcp --http` never dies of input: hostile requests are answered and the server keeps serving.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentsExtension } from '../../../src/runtime/agents/index.ts';
import { ReinMcpHarness, serveHttp, type HttpServing } from '../../../src/runtime/agents/serving.ts';
import { Runtime } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';

const TOKEN = 't'.repeat(43);

function request(port: number, options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: -1, body }));
    });
    req.on('error', () => resolve({ status: -1, body: '' }));
    req.end(options.body);
  });
}

describe('rein mcp --http robustness', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let serving: HttpServing;
  let port: number;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    const config = testConfig('', ollama.url);
    const agents = new AgentsExtension(config, { env: {} });
    runtime = new Runtime({ config, extensions: [agents] });
    serving = await serveHttp(new ReinMcpHarness(runtime, agents), { port: 0, token: TOKEN });
    port = Number(new URL(serving.url).port);
  });
  afterAll(async () => {
    await serving.close();
    await runtime.close();
    await ollama.close();
  });

  const headers = { Host: 'localhost', Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  const alive = async () => expect((await request(port, { path: '/mcp', method: 'POST', headers, body: '{}' })).status).toBe(400);

  it('answers hostile requests and keeps serving', async () => {
    const hostile = [
      { path: '/%00', headers: { Host: 'localhost' } },
      { path: '/mcp%00', headers },
      { path: '/mcp', headers: { ...headers, Host: '[' } },
      { path: '/mcp', headers: { ...headers, Origin: 'http://[' } },
      { path: '/mcp', method: 'POST', headers, body: 'null' },
      { path: '/mcp', method: 'POST', headers, body: '[null, 1, "x"]' },
      { path: '/mcp', method: 'POST', headers, body: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":null}' },
      { path: '/mcp', method: 'POST', headers: { ...headers, 'Mcp-Session-Id': '\u00ff' }, body: '{}' },
      { path: '/mcp', method: 'DELETE', headers },
      { path: '/mcp', method: 'GET', headers },
    ];
    for (const options of hostile) {
      const { status } = await request(port, options);
      expect(status, JSON.stringify(options)).toBeGreaterThanOrEqual(400);
    }
    await alive();
  });

  it('answers a garbage request line with 400', async () => {
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      const socket = net.connect(port, '127.0.0.1', () => socket.end('\x00 GARBAGE\r\n\r\n'));
      socket.on('data', (chunk) => (text += String(chunk)));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    await alive();
  });

  it('survives a request that dies mid-body', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`POST /mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await alive();
  });
});
