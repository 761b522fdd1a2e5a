// `rein serve` as the one host of a data dir: a second start attaches, a killed host's leftovers are taken over, and
// the CLI works through the running host (an approval asked by `rein run` is answered through the host's API).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/common/index.ts';
import { connectHost } from '../../src/host/client.ts';
import { hostFiles, isProcessAlive, readHostInfo } from '../../src/host/discovery.ts';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { startHostProcess, waitFor, type HostProcess } from './host-process.ts';

describe('rein serve as the host of a data dir', () => {
  let ollama: ScriptedOllama;
  const hosts: HostProcess[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.stop()));
  });
  afterAll(async () => {
    await ollama.close();
  });

  it('writes host.json (0600) once it listens on loopback and the local socket; a second serve attaches and exits 0', async () => {
    const home = tempDir('rein-host-');
    const host = await startHostProcess(home, ollama.url);
    hosts.push(host);
    const files = hostFiles(home);
    expect(fs.statSync(files.info).mode & 0o777).toBe(0o600);
    expect(fs.statSync(files.socket).isSocket()).toBe(true);
    expect(JSON.parse(fs.readFileSync(files.lock, 'utf8'))).toMatchObject({ pid: host.info.pid });
    expect(host.info).toMatchObject({ dataDir: home, socket: files.socket, url: `http://127.0.0.1:${host.info.port}` });
    expect(await (await fetch(`${host.info.url}/health`)).json()).toMatchObject({ ok: true, name: 'rein' });

    const second = await runRein(['serve', '--port', '0'], { env: { REIN_HOME: home } });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`Rein is serving on ${host.info.url}/#token=${host.info.token}\n`);
    expect(second.stderr).toContain(`a host already serves ${home} (pid ${host.info.pid}`);
    expect(readHostInfo(home)?.pid).toBe(host.info.pid);
    const doctor = await runRein(['doctor'], { env: { REIN_HOME: home, OLLAMA_HOST: ollama.url } });
    expect(doctor.stdout).toContain(`✓ host: running (pid ${host.info.pid}`);

    // Over the local socket: any Host, the token is still required, and a browser-style request (Origin) is refused.
    const call = (headers: Record<string, string>) => overSocket(files.socket, '/api/runs.list', { host: 'anything', ...headers });
    expect(await call({ authorization: `Bearer ${host.info.token}` })).toMatchObject({ status: 200, body: { ok: true, value: [] } });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: `Bearer ${host.info.token}`, origin: 'http://evil.example' })).status).toBe(403);
    const connection = await connectHost(host.info);
    expect(await connection.api.runs.list()).toEqual([]);
    connection.close();
    await expect(connectHost({ ...host.info, token: 'f'.repeat(64) })).rejects.toThrow(/401/);

    await host.stop();
    expect(fs.existsSync(files.info)).toBe(false);
    expect(fs.existsSync(files.lock)).toBe(false);
    expect(fs.existsSync(files.socket)).toBe(false);
  }, 120_000);

  it('two serves started at once: one becomes the host, the other attaches to it', async () => {
    const home = tempDir('rein-host-');
    const env = { REIN_HOME: home, OLLAMA_HOST: ollama.url };
    const both = [runRein(['serve', '--port', '0'], { env }), runRein(['serve', '--port', '0'], { env })];
    const info = await waitFor(() => readHostInfo(home), 'one host');
    const attached = await Promise.race(both);
    expect(attached).toMatchObject({ code: 0, stdout: `Rein is serving on ${info.url}/#token=${info.token}\n` });
    process.kill(info.pid, 'SIGTERM');
    const [first, second] = await Promise.all(both);
    expect([first!.code, second!.code]).toEqual([0, 0]);
    expect(fs.existsSync(hostFiles(home).lock)).toBe(false);
  }, 120_000);

  it('takes over the lock, socket and host.json left by a host killed with SIGKILL', async () => {
    const home = tempDir('rein-host-');
    const first = await startHostProcess(home, ollama.url);
    hosts.push(first);
    process.kill(first.info.pid, 'SIGKILL');
    await waitFor(() => !isProcessAlive(first.info.pid), 'the killed host to be gone');
    const files = hostFiles(home);
    for (const file of [files.info, files.lock, files.socket]) expect(fs.existsSync(file)).toBe(true);

    const second = await startHostProcess(home, ollama.url);
    hosts.push(second);
    expect(second.info.pid).not.toBe(first.info.pid);
    expect(JSON.parse(fs.readFileSync(files.lock, 'utf8'))).toMatchObject({ pid: second.info.pid });
    const connection = await connectHost(second.info);
    expect(await connection.api.runs.list()).toEqual([]);
    connection.close();
  }, 120_000);

  it('a `rein run` attached to the host waits for its approval, answered through the host API like the desktop card; the run goes on', async () => {
    // `forget` is a write that asks (the agent's own `remember` notes are allowed by default).
    ollama.script((_request, index) => (index === 0 ? { content: '', toolCalls: [{ name: 'forget', arguments: { id: 7 } }] } : { content: 'noted' }));
    const home = tempDir('rein-host-');
    const host = await startHostProcess(home, ollama.url);
    hosts.push(host);
    const desktop = await connectHost(host.info);
    const asked: ApiEvent[] = [];
    desktop.api.onEvent((event) => {
      if (event.type === 'question.asked') asked.push(event);
    });

    const run = runRein(['run', 'forget note 7'], { env: { REIN_HOME: home } });
    const question = await waitFor(() => asked.find((e) => e.type === 'question.asked'), 'the approval card');
    if (question.type !== 'question.asked') throw new Error('unreachable');
    expect(question.question).toMatchObject({ kind: 'approval', details: { tool: 'forget', args: { id: 7 } } });
    expect((await desktop.api.approvals.pending()).map((a) => a.id)).toEqual([question.question.id]);
    // The other terminal sees the same pending approval through the host.
    expect((await runRein(['approvals', 'list'], { env: { REIN_HOME: home } })).stdout).toContain(`${question.question.id}  `);
    await desktop.api.questions.answer(question.question.id, { action: 'accept', by: 'desktop' });

    const result = await run;
    expect(result.stderr).toContain('waiting for approval');
    expect(result.stderr, result.stderr).not.toContain('note: the run goes to the host'); // same config as the host
    expect(result).toMatchObject({ code: 0, stdout: 'noted\n' });
    const runId = question.question.runId!;
    const events = await desktop.api.runs.events(runId);
    expect(events.filter((e) => e.type === 'approval.resolved')).toMatchObject([{ decision: 'allow_once', by: 'desktop' }]);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed', answer: 'noted' });
    const sessions = await runRein(['sessions'], { env: { REIN_HOME: home } });
    expect(sessions.stdout).toMatch(new RegExp(`${runId}\\s+completed`));
    const again = await runRein(['approvals', 'allow', question.question.id], { env: { REIN_HOME: home } });
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already decided') });
    expect(await runRein(['approvals', 'deny', 'apr_nope'], { env: { REIN_HOME: home } })).toMatchObject({ code: 1, stderr: expect.stringContaining('apr_nope') });
    desktop.close();
    expect(fs.readFileSync(path.join(home, 'host-runs.json'), 'utf8')).toContain('"runs": []');
  }, 180_000);

  it('with no host, `rein run` works in-process as before (nobody to ask → the approval is denied at once)', async () => {
    ollama.script((_request, index) => (index === 0 ? { content: '', toolCalls: [{ name: 'forget', arguments: { id: 7 } }] } : { content: 'could not' }));
    const home = tempDir('rein-host-');
    const result = await runRein(['run', '--json', 'forget note 7'], { env: { REIN_HOME: home, OLLAMA_HOST: ollama.url } });
    expect(result.code).toBe(0);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; decision?: string });
    expect(events.find((e) => e.type === 'approval.resolved')).toMatchObject({ decision: 'deny' });
    expect(fs.existsSync(path.join(home, 'host-runs.json'))).toBe(false);
  }, 120_000);
});

function overSocket(socketPath: string, urlPath: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path: urlPath, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    request.on('error', reject);
    request.end('{"args": []}');
  });
}
