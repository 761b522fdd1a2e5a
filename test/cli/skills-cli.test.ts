// `rein skills`, `rein feedback`, and a `rein run` that uses the sandbox, through the real `rein` command.
import { runRein, type CliResult } from '../support/cli.ts';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { tempDir } from '../support/fixtures.ts';
import { TrustStore } from '../../src/runtime/index.ts';


function rein(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runRein(args, { cwd, env });
}

describe('rein skills / feedback', () => {
  let ollama: ScriptedOllama;
  let project: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    project = tempDir();
    env = { REIN_HOME: tempDir(), OLLAMA_HOST: ollama.url };
    fs.mkdirSync(path.join(project, 'skills'));
    fs.copyFileSync(path.resolve(import.meta.dirname, '../../skills/refund_customer.json'), path.join(project, 'skills/refund_customer.json'));
    fs.cpSync(path.resolve(import.meta.dirname, '../../skills/release-notes'), path.join(project, 'skills/release-notes'), { recursive: true });
    new TrustStore(env.REIN_HOME!).trust(project); // a project's skills/ are used once the folder is trusted
  });
  afterAll(() => ollama.close());

  it('with no skills found, list says where it looked', async () => {
    const empty = tempDir();
    const result = await rein(['skills', 'list'], empty, { ...env, REIN_HOME: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/no skills in .*skills.*no rein\.yaml found/);
    // an invalid file next to valid ones is named, not silently left out
    fs.mkdirSync(path.join(empty, 'skills'));
    fs.copyFileSync(path.resolve(import.meta.dirname, '../../skills/refund_customer.json'), path.join(empty, 'skills/refund_customer.json'));
    fs.writeFileSync(path.join(empty, 'skills/broken.json'), '{"name": "broken"}');
    const home = tempDir();
    new TrustStore(home).trust(empty); // with skills/ it is a project folder now
    const listed = await rein(['skills', 'list'], empty, { ...env, REIN_HOME: home });
    expect(listed.stdout).toContain('refund_customer');
    expect(listed.stderr).toMatch(/✗ .*broken\.json: .*\(skipped; `rein skills validate` lists every problem\)/);
  }, 60_000);

  it('lists, shows and validates the bundled skills; an invalid file fails validation with its own error', async () => {
    const list = await rein(['skills', 'list', '--json'], project, env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((s: { name: string }) => s.name)).toEqual(['refund_customer', 'release-notes']);
    const show = await rein(['skills', 'show', 'refund_customer'], project, env);
    expect(show.stdout).toContain('approval above: 100 USD');
    expect((await rein(['skills', 'show', 'nope'], project, env))).toMatchObject({ code: 1, stderr: expect.stringContaining('no skill named "nope"') });
    expect((await rein(['skills', 'validate'], project, env))).toMatchObject({ code: 0, stdout: '2 valid skills, 0 invalid files\n' });

    fs.writeFileSync(path.join(project, 'skills/broken.json'), '{"name": "broken"}');
    const invalid = await rein(['skills', 'validate'], project, env);
    fs.rmSync(path.join(project, 'skills/broken.json'));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('broken.json: description: ');
    expect(invalid.stdout).toBe('2 valid skills, 1 invalid file\n');
  });

  it('a run uses a skill and run_js; feedback scores the skill afterwards', async () => {
    ollama.script([{ toolCalls: [{ name: 'run_js', arguments: { code: 'return input.a * input.b', input: { a: 6, b: 7 } } }] }, { content: 'Refund of 42 USD issued.' }]);
    const run = await rein(['run', '--json', 'refund 6 times 7 dollars'], project, env);
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(events).toContainEqual(expect.objectContaining({ type: 'skill.used', name: 'refund_customer', how: 'injected' }));
    const result = events.find((e) => e.type === 'tool.result' && e.name === 'run_js') as { ok: boolean; output: string };
    expect(result.ok).toBe(true);
    expect(JSON.parse(result.output)).toEqual({ value: 42 });
    expect(events.some((e) => (e.type as string) === 'skills.reloaded')).toBe(false);
    const runId = events.find((e) => e.type === 'run.started')!.runId;

    expect(await rein(['feedback', runId, 'good'], project, env)).toMatchObject({ code: 0, stdout: `recorded good for run ${runId} and its skill refund_customer\n` });
    expect(await rein(['feedback', runId, 'meh'], project, env)).toMatchObject({ code: 2 });
    expect(await rein(['feedback', 'run_unknown', 'bad'], project, env)).toMatchObject({ code: 1 });
    // the bundled (project) file stays as it was; the counts live in the user's copy
    const bundled = path.resolve(import.meta.dirname, '../../skills/refund_customer.json');
    expect(fs.readFileSync(path.join(project, 'skills/refund_customer.json'), 'utf8')).toBe(fs.readFileSync(bundled, 'utf8'));
    const skill = JSON.parse(fs.readFileSync(path.join(env.REIN_HOME!, 'skills/refund_customer.json'), 'utf8'));
    expect(skill).toMatchObject({ success_count: 2, failure_count: 0 });
  });

  it('feedback on a run that used no skill is recorded all the same (Insights shows it)', async () => {
    ollama.script([{ content: 'Paris.' }]);
    const run = await rein(['run', '--json', 'what is the capital of France?'], project, env);
    const runId = (JSON.parse(run.stdout.split('\n')[0]!) as RunEvent).runId;
    expect(run.stdout).not.toContain('"skill.used"');
    expect(await rein(['feedback', runId, 'bad', 'too', 'short'], project, env)).toMatchObject({ code: 0, stdout: `recorded bad for run ${runId}\n` });
    const stored = JSON.parse(fs.readFileSync(path.join(env.REIN_HOME!, 'feedback.json'), 'utf8'));
    expect(stored.runs[runId]).toMatchObject({ verdict: 'bad', reason: 'too short' });
  });
});
