// Runtime.close ends the sandbox worker processes that run_js started.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, SkillsExtension } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { skillSetup } from '../skills/helpers.ts';

describe('runtime and sandbox workers', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('close ends every worker the runtime started', async () => {
    const setup = skillSetup('sandbox: { workers: 2 }\n', ollama.url);
    const config = { ...setup.config, skills: { ...setup.config.skills, auto_learn: false } };
    const runtime = new Runtime({ config, extensions: [new SkillsExtension(config)], trace: false });
    ollama.script([
      { toolCalls: [{ name: 'run_js', arguments: { code: 'return 1' } }, { name: 'run_js', arguments: { code: 'return 2' } }] },
      { content: 'done' },
    ]);
    const before = workerChildren();
    const result = await runtime.startRun('compute twice').result;
    expect(result.status).toBe('completed');
    const started = workerChildren().filter((pid) => !before.includes(pid));
    expect(started.length).toBeGreaterThan(0);
    await runtime.close();
    expect(started.filter((pid) => workerChildren().includes(pid))).toEqual([]);
  });
});

/** Live child processes of this process running the sandbox worker script. */
function workerChildren(): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return Number(ppid) === process.pid && state !== 'Z' && cmdline.includes('sandbox/worker.ts') ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}
