// `rein serve` never dies of input: hostile HTTP requests and WebSocket frames are answered or close one socket.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Runtime, createRuntimeApi } from '../../src/runtime/index.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX, startServer, type RunningServer } from '../../src/server/index.ts';
import { openRawSocket } from '../support/raw-ws.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { tempDir, testConfig } from '../support/fixtures.ts';

const TOKEN = 'a'.repeat(64);

function get(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('rein serve robustness', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let server: RunningServer;
  let host: string;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    runtime = new Runtime({ config: testConfig('', ollama.url) });
    server = await startServer({ api: createRuntimeApi(runtime), token: TOKEN, rendererDir: tempDir('rein-renderer-'), port: 0 });
    host = `127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await runtime.close();
    await ollama.close();
  });

  const alive = async () => expect((await get(server.port, '/health', { Host: host })).status).toBe(200);
  const wsHeaders = () => ({ Host: host, 'Sec-WebSocket-Protocol': `${WS_PROTOCOL}, ${WS_TOKEN_PREFIX}${TOKEN}` });

  it('answers a NUL byte in the path (GET /%00) with 400 and keeps serving', async () => {
    for (const path of ['/%00', '/a%00.js', '/assets/%00']) expect((await get(server.port, path, { Host: host })).status).toBe(400);
    await alive();
  });

  it('survives a garbage request line and a broken upgrade', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.end('\x00\x01 GARBAGE\r\n\r\n'));
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.resume();
    });
    await expect(openRawSocket(server.port, { Host: host })).rejects.toThrow(/401/); // no token: refused, not crashed
    await alive();
  });

  it('survives a null frame, a non-object and a JSON array, answering each with an error', async () => {
    const ws = new WebSocket(`ws://${host}/api/ws`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${TOKEN}`]);
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: unknown[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as object;
      if (!('event' in message)) replies.push(message); // pushed events (the model's status) are not replies
    });
    for (const text of ['null', '42', '[1]', '"x"', '{"id":{}}']) ws.send(text);
    ws.send(JSON.stringify({ id: 1, method: 'runs.list', args: [] }));
    await expect.poll(() => replies.length, { timeout: 10_000 }).toBe(6);
    expect(replies.slice(0, 5).every((reply) => typeof (reply as { error?: unknown }).error === 'string')).toBe(true);
    expect(replies[5]).toMatchObject({ id: 1, result: { ok: true } });
    ws.close();
    await alive();
  });

  it.each([
    ['invalid UTF-8', 0x1, Buffer.from([0xc3, 0x28]), true],
    ['an unmasked frame', 0x1, Buffer.from('{}'), false],
    ['a reserved opcode', 0x3, Buffer.from('x'), true],
  ])('closes only the socket on %s', async (_name, opcode, payload, mask) => {
    const raw = await openRawSocket(server.port, wsHeaders());
    raw.frame(opcode, payload, { mask });
    await raw.closed;
    await alive();
  });

  it('accepts a large legitimate message (a 3 MB skills.save) and answers an oversize one with an error', async () => {
    const ws = new WebSocket(`ws://${host}/api/ws`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${TOKEN}`]);
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: Array<{ id?: number; error?: string; result?: { ok: boolean } }> = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data)) as (typeof replies)[number]));
    const text = `{"name": "big", "description": "${'x'.repeat(3 * 1024 * 1024)}"}`;
    ws.send(JSON.stringify({ id: 1, method: 'skills.save', args: [{ name: 'big', format: 'json', text }] }));
    await expect.poll(() => replies.length, { timeout: 30_000 }).toBe(1);
    expect(replies[0]).toMatchObject({ id: 1, result: expect.any(Object) }); // an answer (saved or issues), not a closed socket
    ws.send(JSON.stringify({ id: 2, method: 'runs.list', args: ['y'.repeat(20 * 1024 * 1024)] }));
    await expect.poll(() => replies.length, { timeout: 30_000 }).toBe(2);
    expect(replies[1]!.error).toMatch(/message too large/);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    await alive();
  });
});
