import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { runRein, type CliResult } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { TrustStore } from '../../src/runtime/index.ts';

/** The real `rein` command with a fresh data dir unless the test names one. */
function rein(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return runRein(args, { ...options, env: { REIN_HOME: tempDir(), ...options.env } });
}

describe('rein CLI', () => {
  let ollama: ScriptedOllama;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    env = { OLLAMA_HOST: ollama.url };
  });
  afterAll(() => ollama.close());

  it('streams the answer on stdout and exits 0 when the run completes', async () => {
    ollama.script([{ content: 'Paris is the capital of France.' }]);
    const result = await rein(['run', 'capital of France?'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Paris is the capital of France.\n');
    expect(result.stderr).toContain('✓ completed');
  });

  it('--json prints every event as one JSON object per line', async () => {
    ollama.script([{ content: 'Hi there' }]);
    const result = await rein(['run', '--json', 'say hi'], { env });
    expect(result.code).toBe(0);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
    expect(events[0]).toMatchObject({ type: 'run.started', goal: 'say hi', model: 'qwen3:4b', provider: 'ollama', seq: 1 });
    expect(events.filter((e) => e.type === 'model.delta').map((e) => (e as { text: string }).text).join('')).toBe('Hi there');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed', answer: 'Hi there' });
    expect(new Set(events.map((e) => e.runId)).size).toBe(1);
  });

  it('exits 1 with a clear message when Ollama is unreachable', async () => {
    const result = await rein(['run', 'hello'], { env: { OLLAMA_HOST: 'http://127.0.0.1:1' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Ollama is not reachable at http://127.0.0.1:1 — start it with `ollama serve`');
  });

  it('exits 2 on bad usage and on an invalid config, naming the file line', async () => {
    expect((await rein(['run'], { env })).code).toBe(2);
    expect((await rein(['fly'], { env })).stderr).toContain('unknown command "fly"');
    expect((await rein(['run', '--bogus', 'x'], { env })).code).toBe(2);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'rein.yaml'), 'model:\n  name: qwen3:4b\nruntime:\n  max_steps: -1\n');
    const home = tempDir();
    new TrustStore(home).trust(dir); // a folder's rein.yaml is read once it is trusted (test/cli/trust.test.ts)
    const bad = await rein(['run', 'hello'], { env: { ...env, REIN_HOME: home }, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, 'rein.yaml')}:4:14  runtime.max_steps:`);
  });

  it('exits 3 when a harness guard stops the run', async () => {
    ollama.script(() => ({ toolCalls: [{ name: 'nothing', arguments: {} }] }));
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'custom.yaml'), 'runtime:\n  max_steps: 2\n');
    const result = await rein(['run', '--config', 'custom.yaml', 'loop'], { env, cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/■ stopped: (step budget exhausted|loop breaker)/);
  });

  it('shows tool calls readably', async () => {
    ollama.script([{ toolCalls: [{ name: 'ghost', arguments: { q: 1 } }] }, { content: 'no such tool' }]);
    const result = await rein(['run', 'use a tool'], { env });
    expect(result.stderr).toContain('→ ghost({"q":1})');
    expect(result.stderr).toContain('✗ ghost');
    expect(result.stderr).toContain('unknown tool "ghost"');
  });

  it('doctor reports config, reachability, the model and its capabilities', async () => {
    const ok = await rein(['doctor'], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`✓ Ollama reachable at ${ollama.url}`);
    expect(ok.stdout).toContain('✓ host: none running on this data dir');
    expect(ok.stdout).toContain('✓ model qwen3:4b is pulled');
    expect(ok.stdout).toContain('tool calling: native');
    expect(ok.stdout).toContain('⚠ embedding model nomic-embed-text is not pulled — memory recall uses text search only');
    const missing = await rein(['doctor', '--model', 'llama3.2'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('✗ model llama3.2 is not pulled');
    expect(missing.stdout).toContain('fix: ollama pull llama3.2');
    const down = await rein(['doctor'], { env: { OLLAMA_HOST: 'http://127.0.0.1:1' } });
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('fix: install Ollama');
  });

  it('writes a JSONL trace of the run into the data dir', async () => {
    ollama.script([{ content: 'traced' }]);
    const home = tempDir();
    await rein(['run', 'trace me'], { env: { ...env, REIN_HOME: home } });
    const [file] = fs.readdirSync(path.join(home, 'traces'));
    const lines = fs.readFileSync(path.join(home, 'traces', file!), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'run.finished', answer: 'traced' });
  });
});
