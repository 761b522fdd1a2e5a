// `rein schedules` and the host's scheduler as a user meets them: real processes, the real ledger file, a scripted
// Ollama. Includes a host killed (SIGKILL) in the middle of a scheduled run.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScheduleLedger, type SlotRecord } from '../../src/runtime/index.ts';
import { REIN_BIN, runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../support/scripted-ollama.ts';

let slowOnce = true;
function reply(request: ChatRequestBody): ScriptedReply {
  const goal = request.messages.find((m) => m.role === 'user')?.content ?? '';
  if (goal.includes('slow') && slowOnce) {
    slowOnce = false;
    return { content: 'too late', delayMs: 60_000 };
  }
  return { content: `answer to ${goal}` };
}

describe('rein schedules', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply });
  });
  afterAll(async () => {
    await ollama.close();
  });
  const home = (yaml = '') => {
    const dir = tempDir('rein-sched-');
    if (yaml) fs.writeFileSync(path.join(dir, 'rein.yaml'), yaml);
    return dir;
  };
  const rein = (dir: string, args: string[]) => runRein(['schedules', ...args], { env: { REIN_HOME: dir, OLLAMA_HOST: ollama.url } });

  it('an invalid cron expression is a config error naming the key and the line (exit 2)', { timeout: 60_000 }, async () => {
    const dir = home('model: { name: qwen3:4b }\nschedules:\n  - name: broken\n    goal: hi\n    cron: "61 * * * *"\n');
    const result = await rein(dir, ['list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rein\.yaml:5:\d+\s+schedules\[0\]\.cron: invalid cron expression "61 \* \* \* \*"/);
  });

  it('add, list, run-now, history, pause and remove; bad input is a usage error', { timeout: 150_000 }, async () => {
    const dir = home();
    const bad = await rein(dir, ['add', 'oops', '--goal', 'x', '--every', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"soon" is not an interval like 90s');
    const added = await rein(dir, ['add', 'morning', '--goal', 'summarise the news', '--cron', '0 7 * * 1-5', '--timezone', 'Europe/Berlin']);
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('added schedule morning: cron 0 7 * * 1-5 (Europe/Berlin), next at');
    const listed = await rein(dir, ['list']);
    expect(listed.stdout).toMatch(/morning\s+active\s+cron 0 7 \* \* 1-5 \(Europe\/Berlin\)\s+added/);
    expect(listed.stdout).toContain('never ran');

    const ran = await rein(dir, ['run-now', 'morning']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('answer to summarise the news');
    expect(ran.stderr).toMatch(/morning\s+finished \(manual\) run run/);
    const history = JSON.parse((await rein(dir, ['history', 'morning', '--json'])).stdout) as { status: string; trigger: string }[];
    expect(history).toMatchObject([{ status: 'finished', trigger: 'manual' }]);

    await rein(dir, ['pause', 'morning']);
    expect((await rein(dir, ['list'])).stdout).toMatch(/morning\s+paused/);
    expect((await rein(dir, ['remove', 'morning'])).code).toBe(0);
    expect((await rein(dir, ['list'])).stdout).toContain('no schedules');
    const missing = await rein(dir, ['pause', 'morning']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no schedule named "morning"');
  });

  it('a host killed (SIGKILL) during a scheduled run leaves a resumed or clearly failed entry after its restart', async () => {
    const dir = home('schedules:\n  - { name: nightly, goal: a slow job, every: 2s, overlap: skip, catch_up: skip }\n');
    const start = () => spawn(process.execPath, [REIN_BIN, 'serve', '--port', '0'], { cwd: tempDir(), env: { ...process.env, REIN_HOME: dir, OLLAMA_HOST: ollama.url, NO_COLOR: '1' }, stdio: 'ignore' });
    const ledger = () => openScheduleLedger({ dataDir: dir, secrets: [], memory: {} });
    const waitFor = async <T,>(find: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> => {
      for (let i = 0; i < 1500; i++) {
        const found = await find();
        if (found !== undefined) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const slotWhere = (predicate: (slot: SlotRecord) => boolean) => async () => {
      const l = await ledger();
      try {
        return (await l.history('nightly', 100)).find(predicate);
      } finally {
        await l.close();
      }
    };
    let host: ChildProcess = start();
    try {
      const started = await waitFor(slotWhere((s) => s.status === 'started'), 'a started scheduled run');
      await waitFor(() => (slowOnce ? undefined : true), 'the run to ask the model'); // killed while the model answers
      const { pid } = JSON.parse(fs.readFileSync(path.join(dir, 'host.json'), 'utf8')) as { pid: number };
      process.kill(pid, 'SIGKILL'); // the host process itself, wherever it runs
      await new Promise((r) => (host.exitCode === null ? host.once('exit', r) : r(undefined)));
      host = start();
      const ended = await waitFor(slotWhere((s) => s.id === started.id && s.status !== 'started'), 'the interrupted slot to end');
      if (ended.status === 'finished') expect(ended.reason).toContain('resumed from its checkpoint after the host restarted');
      else expect(ended).toMatchObject({ status: 'failed', reason: expect.stringContaining('the host stopped during the run') });
    } finally {
      host.kill('SIGTERM');
      await new Promise((r) => (host.exitCode === null ? host.once('exit', r) : r(undefined)));
    }
  }, 240_000);
});
