// Issue 13 item 5: a catastrophic out-of-memory in run_js used to leave `rein run` hanging with its memory never
// released. Now the guest's worker process dies, the call fails with a clear error, and `rein run` exits normally.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { runRein } from '../../support/cli.ts';
import { tempDir } from '../../support/fixtures.ts';
import { TrustStore } from '../../../src/runtime/index.ts';

describe('rein run with a catastrophic guest', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('reports the failed call, finishes the run and exits, leaving no worker behind', async () => {
    const code = 'const m = new Map(); let i = 0; for (;;) m.set(i++, { i })';
    ollama.script([
      { toolCalls: [{ name: 'run_js', arguments: { code } }, { name: 'run_js', arguments: { code: 'return 6 * 7' } }] },
      { content: 'The first computation crashed; the second gave 42.' },
    ]);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'rein.yaml'), 'sandbox: { memory_mb: 16, cpu_timeout_ms: 120000, wall_timeout_ms: 120000 }\nskills: { auto_learn: false }\n');
    // Every process of this run (the sandbox workers too) carries this marker in its PATH.
    const marker = `/nonexistent-rein-crash-${process.pid}-${Date.now()}`;
    const home = tempDir();
    new TrustStore(home).trust(dir); // the folder's rein.yaml is used once trusted
    const result = await runRein(['run', '--json', 'compute'], { cwd: dir, env: { REIN_HOME: home, OLLAMA_HOST: ollama.url, PATH: `${process.env.PATH}:${marker}` } });
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
    const results = events.filter((e) => e.type === 'tool.result');
    expect(results).toHaveLength(2);
    expect(JSON.stringify(results)).toMatch(/sandbox crashed|out of memory|too much memory|sandbox worker process/);
    expect(JSON.stringify(results)).toContain('42');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' });
    await waitFor(() => !markedProcesses(marker).length);
    expect(markedProcesses(marker)).toEqual([]);
  }, 180_000);
});

function markedProcesses(marker: string): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
