import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { tempDir } from '../support/fixtures.ts';
import { startServe, type ServeProcess } from '../e2e/serve-process.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/rein.mjs');

describe('rein serve', () => {
  let ollama: ScriptedOllama;
  let serve: ServeProcess;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    serve = await startServe(ollama.url);
  });
  afterAll(async () => {
    await serve.stop();
    await ollama.close();
  });

  it('prints the URL with the token it saved (0600) and answers /health', async () => {
    const file = path.join(serve.home, 'serve-token');
    const token = fs.readFileSync(file, 'utf8').trim();
    expect(serve.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/#token=${token}$`));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const health = await fetch(new URL('/health', serve.url));
    expect(await health.json()).toMatchObject({ ok: true });
    const refused = await fetch(new URL('/api/runs.list', serve.url), { method: 'POST' });
    expect(refused.status).toBe(401);
  });

  it('rejects a bad --port as a usage error', () => {
    const result = spawnSync(process.execPath, [BIN, 'serve', '--port', 'abc'], { env: { ...process.env, REIN_HOME: tempDir() }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be a port number');
  });
});
