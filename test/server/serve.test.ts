import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiEvent, ApiResult } from '../../src/common/index.ts';
import { Runtime, createRuntimeApi } from '../../src/runtime/index.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX, loadOrCreateToken, startServer, type RunningServer } from '../../src/server/index.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { echoTool, tempDir, testConfig } from '../support/fixtures.ts';

/** A raw request, so tests control Host and Origin exactly. */
function request(port: number, options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('rein serve', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let server: RunningServer;
  let token: string;
  let host: string;
  const rendererDir = tempDir('rein-renderer-');

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    const config = testConfig('', ollama.url);
    runtime = new Runtime({ config, tools: [echoTool()] });
    token = loadOrCreateToken(config.dataDir).token;
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Rein</title>');
    server = await startServer({ api: createRuntimeApi(runtime), token, rendererDir, port: 0 });
    host = `127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await runtime.close();
    await ollama.close();
  });

  const call = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
    request(server.port, { path: `/api/${method}`, method: 'POST', headers: { Host: host, Authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify({ args }) });

  it('stores a 64-hex-digit token with mode 0600 and reuses it', () => {
    const dir = tempDir();
    const first = loadOrCreateToken(dir);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateToken(dir)).toMatchObject({ token: first.token, created: false });
  });

  it('answers GET /health without a token', async () => {
    const res = await request(server.port, { path: '/health', headers: { Host: host } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, name: 'rein' });
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await request(server.port, { path: '/health', headers: { Host: `evil.example:${server.port}` } })).status).toBe(421);
    expect((await call('runs.list', [], { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('runs.list', [], { Origin: `http://${host}` })).status).toBe(200);
    expect((await call('runs.list', [], { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('requires the bearer token for API calls but not for the page', async () => {
    expect((await call('runs.list', [], { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await request(server.port, { path: '/api/runs.list', method: 'POST', headers: { Host: host } })).status).toBe(401);
    const page = await request(server.port, { path: '/', headers: { Host: host } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Rein</title>');
    expect((await request(server.port, { path: '/../../etc/passwd', headers: { Host: host } })).status).toBe(404);
  });

  it('answers calls over HTTP with the contract: values, validation errors, unavailable capabilities', async () => {
    const status = await call('models.status', []);
    expect(JSON.parse(status.body)).toEqual({ ok: true, value: expect.objectContaining({ model: 'qwen3:4b', reachable: true, present: true }) });
    const bad = await call('runs.start', [{ goal: 42 }]);
    expect(bad.status).toBe(400);
    expect((JSON.parse(bad.body) as ApiResult).ok).toBe(false);
    const memory = await call('memory.sessions', []);
    expect(memory.status).toBe(501);
    expect(JSON.parse(memory.body)).toEqual({ ok: false, error: { code: 'unavailable', capability: 'memory', message: 'Memory is not enabled in this build/config' } });
    expect((await call('nope.method', [])).status).toBe(400);
  });

  it('refuses WebSocket connections without the token or from a foreign origin', async () => {
    const refused = (protocols: string[], headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://${host}/api/ws`, protocols, { headers });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => undefined);
      });
    expect(await refused([WS_PROTOCOL])).toBe(401);
    expect(await refused([WS_PROTOCOL, `${WS_TOKEN_PREFIX}bad`])).toBe(401);
    expect(await refused([WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`], { Origin: 'http://evil.example' })).toBe(403);
  });

  it('runs over WebSocket: calls answered by id, run events pushed in order', async () => {
    ollama.script([{ content: 'Echoing. ', toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] }, { content: 'Said hi.' }]);
    const socket = new WebSocket(`ws://${host}/api/ws`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`], { headers: { Origin: `http://${host}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(socket.protocol).toBe(WS_PROTOCOL);
    const events: ApiEvent[] = [];
    const replies = new Map<number, ApiResult>();
    const finished = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; result?: ApiResult; event?: ApiEvent };
        if (message.id !== undefined) replies.set(message.id, message.result!);
        if (message.event) events.push(message.event);
        if (message.event?.type === 'run.finished') resolve();
      });
    });
    socket.send(JSON.stringify({ id: 1, method: 'runs.start', args: [{ goal: 'say hi' }] }));
    await finished;
    socket.close();
    const { runId } = (replies.get(1) as { ok: true; value: { runId: string } }).value;
    const runEvents = events.filter((e) => 'runId' in e && e.runId === runId);
    expect(runEvents.map((e) => e.type)).toContain('tool.result');
    expect(runEvents.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed', answer: 'Said hi.' });
    const listed = JSON.parse((await call('runs.list', [])).body) as { value: { runId: string; status: string }[] };
    expect(listed.value.find((r) => r.runId === runId)).toMatchObject({ status: 'completed' });
  });
});
