// The host cannot be impersonated through its data dir: a data dir or host.json another user could write is refused
// with the fix; a process that answers on host.json's port or socket must prove it holds the token before anything
// (token, goal) is sent; the socket of a long data dir path goes to a private per-user folder, never a fixed /tmp name.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostFiles, readHostInfo, type HostInfo } from '../../src/host/discovery.ts';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { startHostProcess, type HostProcess } from './host-process.ts';

interface Impostor {
  url: string;
  port: number;
  seen: string[];
  close(): Promise<void>;
}

/** Answers /health like a Rein host (without the proof) and records everything else, WebSocket upgrades included. */
async function impostor(): Promise<Impostor> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''} ${body}`);
      if (req.url?.startsWith('/health')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, name: 'rein', version: '0.1.0' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"value":{"runId":"run_x"}}');
    });
  });
  server.on('upgrade', (req, socket) => {
    seen.push(`UPGRADE ${req.url} ${req.headers['sec-websocket-protocol'] ?? ''}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, seen, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

function plantHostJson(home: string, impostorInfo: Impostor, extra: Partial<HostInfo> = {}): string {
  const info: HostInfo = { pid: process.pid, url: impostorInfo.url, port: impostorInfo.port, token: crypto.randomBytes(32).toString('hex'), version: '0.1.0', node: process.version, dataDir: home, startedAt: new Date().toISOString(), ...extra };
  const file = hostFiles(home).info;
  fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
  return file;
}

describe('a host that cannot be impersonated', () => {
  let ollama: ScriptedOllama;
  let fake: Impostor;
  const hosts: HostProcess[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    ollama.script(() => ({ content: 'answered in-process' }));
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.stop()));
    await fake?.close();
  });
  afterAll(async () => {
    await ollama.close();
  });

  it('refuses a data dir other users can write: `rein run` sends the goal nowhere and `rein serve` prints no attacker URL', async () => {
    fake = await impostor();
    const home = tempDir('rein-shared-');
    fs.chmodSync(home, 0o777);
    plantHostJson(home, fake);
    const env = { REIN_HOME: home, OLLAMA_HOST: ollama.url };
    const run = await runRein(['run', 'the secret plan'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the data dir ${home} is writable by other users (mode 777)`);
    expect(run.stderr).toContain(`chmod 700 ${home}`);
    const serve = await runRein(['serve', '--port', '0'], { env });
    expect(serve.code).toBe(1);
    expect(serve.stdout).not.toContain(fake.url);
    expect(serve.stderr).toContain('writable by other users');
    expect((await runRein(['doctor'], { env })).stdout).toContain(`✗ data dir: the data dir ${home} is writable by other users`);
    expect(fake.seen).toEqual([]);
  }, 60_000);

  it.skipIf(typeof process.getuid !== 'function' || process.getuid() !== 0)('refuses a host.json or data dir owned by another user (needs root to set up)', async () => {
    fake = await impostor();
    const home = tempDir('rein-foreign-');
    const file = plantHostJson(home, fake);
    fs.chownSync(file, 65534, 65534);
    const env = { REIN_HOME: home, OLLAMA_HOST: ollama.url };
    const run = await runRein(['run', 'the secret plan'], { env });
    expect(run).toMatchObject({ code: 1, stderr: expect.stringContaining(`${file} is owned by another user (uid 65534)`) });
    expect(run.stderr).toContain(`rm ${file}`);
    fs.rmSync(file);
    fs.chownSync(home, 65534, 65534);
    expect((await runRein(['run', 'x'], { env })).stderr).toContain(`the data dir ${home} is owned by another user (uid 65534`);
    expect(fake.seen).toEqual([]);
  }, 60_000);

  it('a process on host.json\'s port that cannot prove it holds the token gets neither the token nor the goal', async () => {
    fake = await impostor();
    const home = tempDir('rein-stale-');
    plantHostJson(home, fake); // ours (0600), but the "host" there is someone else (e.g. took the port of a dead host)
    const run = await runRein(['run', 'the secret plan'], { env: { REIN_HOME: home, OLLAMA_HOST: ollama.url } });
    expect(run).toMatchObject({ code: 0, stdout: 'answered in-process\n' }); // no trustworthy host: the CLI works in-process
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0]).toMatch(/^GET \/health\?challenge=[0-9a-f]{32} {2}$/);
  }, 60_000);

  it('refuses a host.json whose socket is in a folder other users can write', async () => {
    fake = await impostor();
    const home = tempDir('rein-sock-');
    const shared = tempDir('rein-shared-sock-');
    fs.chmodSync(shared, 0o777);
    plantHostJson(home, fake, { socket: path.join(shared, 'host.sock') });
    expect(() => readHostInfo(home)).toThrow(`the local socket's folder ${shared} is writable by other users`);
  });

  it('puts the socket of a long data dir path in a private per-user folder; a squatted /tmp name does not stop it', async () => {
    const home = path.join(tempDir('rein-long-'), 'x'.repeat(60), 'y'.repeat(40));
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    const hash = crypto.createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 16);
    const squatted = path.join('/tmp', `rein-${hash}.sock`);
    fs.mkdirSync(squatted, { recursive: true }); // the old, guessable name, taken first
    try {
      const host = await startHostProcess(home, ollama.url);
      hosts.push(host);
      const socket = host.info.socket!;
      expect(socket).not.toBe(squatted);
      const folder = path.dirname(socket);
      expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
      expect(fs.statSync(folder).uid).toBe(os.userInfo().uid);
      expect(fs.statSync(socket).isSocket()).toBe(true);
      expect((await runRein(['sessions'], { env: { REIN_HOME: home } })).code).toBe(0);
      await host.stop();
      expect(fs.existsSync(folder)).toBe(false);
    } finally {
      fs.rmSync(squatted, { recursive: true, force: true });
    }
  }, 120_000);
});
