// Runs the official MCP conformance suite (server mode) against `rein mcp --http`, offline: a scripted Ollama
// server stands in for the model, and a loopback proxy adds the bearer token (the suite sends no auth headers;
// Host and Origin pass through unchanged, so the DNS-rebinding checks still reach Rein).
// Usage: node scripts/mcp-server-conformance.ts [--all]   (--all: every server scenario, not only the applicable ones)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';

/** The scenarios that apply to a tools-only server (no resources, prompts, logging, completion, sampling). */
export const APPLICABLE = ['server-initialize', 'ping', 'tools-list', 'server-sse-multiple-streams', 'dns-rebinding-protection'];

const root = path.resolve(import.meta.dirname, '..');
const ollama = await ScriptedOllama.start({ replies: () => ({ content: 'ok' }) });
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-conformance-'));
const server = spawn(process.execPath, [path.join(root, 'bin/rein.mjs'), 'mcp', '--http', '0'], {
  cwd: home, // not the repository: its skills/ would need `rein trust`
  env: { ...process.env, REIN_HOME: home, OLLAMA_HOST: ollama.url },
  stdio: ['ignore', 'ignore', 'pipe'],
});
const target = await new Promise<URL>((resolve, reject) => {
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const match = /serving MCP on (\S+)/.exec(stderr);
    if (match && stderr.includes('bearer token')) resolve(new URL(match[1]!));
  });
  server.once('exit', () => reject(new Error(`rein mcp --http exited early:\n${stderr}`)));
});
const token = fs.readFileSync(path.join(home, 'mcp-token'), 'utf8').trim();

const proxy = http.createServer((req, res) => {
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${token}` } },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const url = `http://localhost:${(proxy.address() as AddressInfo).port}/mcp`;

const scenarios = process.argv.includes('--all') ? listServerScenarios() : APPLICABLE;
const failed: string[] = [];
for (const scenario of scenarios) {
  const run = await runConformance(['server', '--url', url, '--scenario', scenario]);
  const ok = run.status === 0;
  if (!ok) failed.push(scenario);
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${scenario}\n`);
  if (!ok || process.env.VERBOSE) process.stdout.write(`${run.stdout}${run.stderr}`.split('\n').filter((l) => /FAILURE|WARNING|Error/.test(l)).join('\n') + '\n');
}
process.stdout.write(`${scenarios.length - failed.length}/${scenarios.length} scenarios passed${failed.length ? ` (failed: ${failed.join(', ')})` : ''}\n`);

proxy.closeAllConnections();
proxy.close();
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
await ollama.close();
fs.rmSync(home, { recursive: true, force: true });
process.exitCode = failed.length && !process.argv.includes('--all') ? 1 : 0;

function conformanceBin(): string {
  return path.join(root, 'node_modules/.bin/conformance');
}

/** Async: the proxy in this process must keep serving while the suite runs. */
function runConformance(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(conformanceBin(), args, { cwd: home, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function listServerScenarios(): string[] {
  const listing = spawnSync(conformanceBin(), ['list'], { encoding: 'utf8' }).stdout;
  const server = listing.split('Client scenarios')[0] ?? '';
  return [...server.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1]!);
}
