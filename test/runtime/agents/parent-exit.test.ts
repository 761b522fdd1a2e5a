// A parent `rein run` that dies mid-fan-out leaves nothing behind: on SIGTERM it stops its subagents; killed with
// SIGKILL, its subagents see their stdin close and exit on their own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { tempDir } from '../../support/fixtures.ts';
import { TrustStore } from '../../../src/runtime/index.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/rein.mjs');

describe('parent exit', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    ollama.script((request) =>
      (request.tools ?? []).some((t) => t.function.name === 'spawn_subagent')
        ? { toolCalls: [{ name: 'spawn_subagent', arguments: { goal: 'one' } }, { name: 'spawn_subagent', arguments: { goal: 'two' } }] }
        : { hang: true },
    );
  });
  afterAll(() => ollama.close());

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal} to the parent ends every subagent process`, async () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'rein.yaml'), 'agents: { enabled: true, max_concurrent: 2 }\n');
      const home = tempDir();
      new TrustStore(home).trust(dir); // the folder's rein.yaml is used once trusted
      const parent = spawn(process.execPath, [BIN, 'run', '--json', 'fan out'], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, REIN_HOME: home, OLLAMA_HOST: ollama.url, REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const pids = await new Promise<number[]>((resolve, reject) => {
        const found: number[] = [];
        let buffer = '';
        parent.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (const match of buffer.matchAll(/"type":"agent\.spawned".*?"pid":(\d+)/g)) if (!found.includes(Number(match[1]))) found.push(Number(match[1]));
          if (found.length === 2) resolve(found);
        });
        parent.once('exit', () => reject(new Error('the parent ended before spawning')));
      });
      expect(pids.every(isAlive)).toBe(true);
      const homes = pids.map(homeOf);
      expect(homes.every((home) => path.basename(home).startsWith('rein-agent-') && fs.existsSync(home))).toBe(true);
      const exited = new Promise((resolve) => parent.once('exit', resolve));
      parent.kill(signal);
      await exited;
      await waitFor(() => !pids.some(isAlive));
      expect(pids.filter(isAlive)).toEqual([]);
      // Each subagent removed its ephemeral home as it ended.
      await waitFor(() => !homes.some((home) => fs.existsSync(home)));
      expect(homes.filter((home) => fs.existsSync(home))).toEqual([]);
    }, 90_000);
  }
});

/** The subagent's REIN_HOME, from its environment. */
function homeOf(pid: number): string {
  const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return env.find((entry) => entry.startsWith('REIN_HOME='))!.slice('REIN_HOME='.length);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
