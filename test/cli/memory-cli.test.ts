// `rein memory` as a child process on a real data dir: without a host it works on the database (each change audited
// like the runtime's); with a `rein serve` host on the data dir it goes through the host, where a delete can be undone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog, parseConfig, type ReinConfig } from '../../src/runtime/index.ts';
import { SqliteMemoryStore } from '../../src/runtime/memory/index.ts';
import { startHostProcess, type HostProcess } from '../host/host-process.ts';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../support/scripted-ollama.ts';

const EMBED = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words' as const, embeddingDimensions: 64 };

async function seed(home: string, notes: string[]): Promise<{ config: ReinConfig; ids: number[] }> {
  const config = parseConfig('', { env: { REIN_HOME: home }, baseDir: home });
  const store = new SqliteMemoryStore(config.memory.path);
  const ids = [];
  for (const content of notes) ids.push((await store.addNote({ content, kind: 'fact', source: 'user' })).id);
  await store.close();
  return { config, ids };
}

describe('rein memory', () => {
  let ollama: ScriptedOllama;
  let host: HostProcess | undefined;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, EMBED] });
  });
  afterAll(async () => {
    await host?.stop();
    await ollama?.close();
  });

  it('lists, pins, edits, searches and deletes notes on the database; refusals are clear; every change is audited', async () => {
    const home = tempDir('rein-mcli-');
    const env = { REIN_HOME: home, OLLAMA_HOST: ollama.url };
    const { config, ids } = await seed(home, ['Always answer in British English.', 'Deploys happen on Tuesdays.', `Glossary: ${'term '.repeat(230)}`]);
    const [british, deploys, glossary] = ids as [number, number, number];

    const list = await runRein(['memory'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('pinned (given to the model at every run start): 0 of 10 notes, 0 of 1000 characters');
    expect(list.stdout).toContain(`#${deploys}  fact from user  Deploys happen on Tuesdays.`);

    expect((await runRein(['memory', 'pin', String(british)], { env })).stdout).toBe(`pinned #${british} (pinned)  fact from user  Always answer in British English.\n`);
    const refused = await runRein(['memory', 'pin', String(glossary)], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^rein: cannot pin note ${glossary}: pinned notes would total \\d+ characters, over the 1000`));
    expect((await runRein(['memory', 'edit', String(deploys), 'Deploys happen on Thursdays.'], { env })).stdout).toContain(`changed #${deploys}  fact from user  Deploys happen on Thursdays.`);

    const found = await runRein(['memory', 'search', 'thursdays', '--json'], { env });
    expect(found.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([expect.objectContaining({ id: deploys, text: 'Deploys happen on Thursdays.', pinned: false })]);
    expect((await runRein(['memory', 'list'], { env })).stdout).toContain(`1 of 10 notes, 33 of 1000 characters\n#${british} (pinned)  fact from user  Always answer in British English.\nrecent:\n`);

    expect((await runRein(['memory', 'delete', String(deploys)], { env })).stdout).toBe(`deleted note ${deploys}\n`);
    // Without a host too: the delete was kept in the database, so another process undoes it (issue 26).
    const restore = await runRein(['memory', 'restore', String(deploys)], { env });
    expect(restore).toMatchObject({ code: 0, stdout: `restored #${deploys}  fact from user  Deploys happen on Thursdays.\n` });
    expect((await runRein(['memory', 'restore', String(deploys)], { env })).stderr).toBe(`rein: note ${deploys} cannot be restored: only notes deleted in the last 10 minutes can be\n`);
    expect((await runRein(['memory', 'delete', String(deploys)], { env })).stdout).toBe(`deleted note ${deploys}\n`);
    expect((await runRein(['memory', 'delete', String(deploys)], { env })).stderr).toMatch(new RegExp(`^rein: no note ${deploys}`));
    const usage = await runRein(['memory', 'pin', 'abc'], { env });
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('pin needs a note number (rein memory lists them), got "abc"') });

    const audit = openAuditLog(config);
    const kinds = [...audit.entries()].filter((e) => e.kind.startsWith('memory.')).map((e) => e.kind);
    audit.close();
    expect(kinds).toEqual(['memory.pin', 'memory.edit', 'memory.forget', 'memory.restore', 'memory.forget', 'memory.forget']);
  }, 120_000);

  it('through a running host: a deleted note is restored under its id', async () => {
    const home = tempDir('rein-mhost-');
    const env = { REIN_HOME: home, OLLAMA_HOST: ollama.url };
    const { ids } = await seed(home, ['Backups go to the acme-backups bucket.']);
    host = await startHostProcess(home, ollama.url);
    expect((await runRein(['memory', 'delete', String(ids[0])], { env })).stdout).toBe(`deleted note ${ids[0]}\n`);
    const restored = await runRein(['memory', 'restore', String(ids[0])], { env });
    expect(restored.stdout).toBe(`restored #${ids[0]}  fact from user  Backups go to the acme-backups bucket.\n`);
    expect((await runRein(['memory', 'search', 'backups', '--json'], { env })).stdout).toContain(`"id":${ids[0]}`);
  }, 120_000);
});
