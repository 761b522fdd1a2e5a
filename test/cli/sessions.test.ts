import { runRein, type CliResult } from '../support/cli.ts';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { tempDir } from '../support/fixtures.ts';


function rein(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return runRein(args, { env, cwd });
}

describe('rein sessions and rein run --resume', () => {
  let ollama: ScriptedOllama;
  let env: NodeJS.ProcessEnv;
  let cwd: string;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    cwd = tempDir();
    env = { OLLAMA_HOST: ollama.url, REIN_HOME: tempDir() };
  });
  afterAll(() => ollama.close());

  it('lists sessions and prints a session\'s episodic log', async () => {
    expect((await rein(['sessions'], env, cwd)).stdout).toMatch(/^no sessions yet in /);
    ollama.script([{ content: 'Paris.' }]);
    const run = await rein(['run', '--json', 'capital of France?'], env, cwd);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent).filter((e) => 'runId' in e);
    const id = events[0]!.runId;

    const list = await rein(['sessions'], env, cwd);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^SESSION\s+STATUS\s+STEPS\s+TOKENS\s+UPDATED\s+TITLE$/);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+completed\\s+1\\s+15\\s+.*capital of France\\?`));

    const show = await rein(['sessions', 'show', id], env, cwd);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`session ${id} · completed · 1 steps`);
    expect(show.stdout).toContain('run.started');
    expect(show.stdout).toMatch(/model\.delta\s+step 1: Paris\./);
    expect(show.stdout).toMatch(/run\.finished\s+completed: Paris\./);
    const json = await rein(['sessions', 'show', id, '--json'], env, cwd);
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent)).toEqual(events);

    const missing = await rein(['sessions', 'show', 'run_nope'], env, cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no session run_nope');
    expect((await rein(['sessions', 'frobnicate'], env, cwd)).code).toBe(2);
  });

  it('continues a stopped session with --resume, numbering its events on', async () => {
    fs.writeFileSync(path.join(cwd, 'short.yaml'), 'runtime: { max_steps: 1 }\n');
    ollama.script((request) => (request.messages.some((m) => m.role === 'tool') ? { content: 'Recovered.' } : { toolCalls: [{ name: 'ghost', arguments: {} }] }));
    const stopped = await rein(['run', '--config', 'short.yaml', 'use the ghost tool'], env, cwd);
    expect(stopped.code).toBe(3);
    const id = /continue with: rein run --resume (\S+)/.exec(stopped.stderr)![1]!;

    const resumed = await rein(['run', '--json', '--resume', id], env, cwd);
    expect(resumed.code).toBe(0);
    const events = resumed.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent).filter((e) => 'runId' in e);
    expect(events[0]).toMatchObject({ type: 'run.resumed', runId: id, fromStep: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed', answer: 'Recovered.' });
    const log = (await rein(['sessions', 'show', id, '--json'], env, cwd)).stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));

    expect((await rein(['run', '--resume', 'run_nope'], env, cwd))).toMatchObject({ code: 2, stderr: expect.stringContaining('no session run_nope') });
    expect((await rein(['run', '--resume', id, 'and a goal'], env, cwd)).code).toBe(2);
    expect((await rein(['run', '--resume', id], env, cwd))).toMatchObject({ code: 1, stderr: expect.stringContaining('already completed') });
  });
});
