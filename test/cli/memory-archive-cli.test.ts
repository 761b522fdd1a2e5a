// `rein memory export` / `import` as a user runs them: a desktop backup restored into a new data dir, a dry run
// that writes nothing, a refused second import; to PostgreSQL when a server is available; `rein worker` queueing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteMemoryStore } from '../../src/runtime/memory/index.ts';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

async function seeded(): Promise<string> {
  const home = tempDir();
  const store = new SqliteMemoryStore(path.join(home, 'rein.db'));
  await store.appendEvent({ type: 'run.started', runId: 'run_1', seq: 1, time: '2026-01-01T00:00:00.000Z', goal: 'plan the trip', model: 'm', provider: 'ollama', tools: [] });
  for (let i = 0; i < 5; i++) await store.addNote({ content: `fact number ${i}`, kind: 'fact', source: 'user' });
  const space = await store.ensureSpace('nomic-embed-text', 3);
  await store.setEmbeddings(space, [{ noteId: 1, vector: [1, 0, 0] }]);
  await store.close();
  return home;
}

describe('rein memory export / import', () => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    if (!postgresUnavailable) server = await startTestPostgres();
  }, 60_000);
  afterAll(() => server?.stop(), 60_000);

  it('backs up a data dir and restores it into another, checked by counts and checksums', async () => {
    const home = await seeded();
    const archive = path.join(tempDir(), 'backup.jsonl');
    const exported = await runRein(['memory', 'export', '--out', archive], { env: { REIN_HOME: home } });
    expect(exported.stderr).toContain('exported 1 note vectors (nomic-embed-text, 3), 5 notes, 1 sessions');
    expect(exported.code).toBe(0);
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);

    const fresh = tempDir();
    const target = path.join(fresh, 'restored.db');
    const dry = await runRein(['memory', 'import', archive, '--to', `sqlite:${target}`, '--dry-run'], { env: { REIN_HOME: fresh } });
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(fs.existsSync(target)).toBe(false);

    const imported = await runRein(['memory', 'import', archive, '--to', `sqlite:${target}`], { env: { REIN_HOME: fresh } });
    expect(imported.stdout).toContain('counts and checksums match the archive');
    expect(imported.code).toBe(0);
    const again = await runRein(['memory', 'import', archive, '--to', `sqlite:${target}`], { env: { REIN_HOME: fresh } });
    expect(again.stderr).toContain('already holds memory');
    expect(again.code).toBe(1);

    fs.writeFileSync(archive, fs.readFileSync(archive, 'utf8').split('\n').slice(0, 3).join('\n'));
    const cut = await runRein(['memory', 'import', archive, '--dry-run'], { env: { REIN_HOME: fresh } });
    expect(cut.stderr).toContain('cut short');
    expect(cut.code).toBe(1);
  }, 60_000);

  it.skipIf(postgresUnavailable)('moves a desktop data dir to PostgreSQL, then `rein sessions` and `rein worker` use it', async () => {
    const home = await seeded();
    const archive = path.join(tempDir(), 'backup.jsonl');
    await runRein(['memory', 'export', '--out', archive], { env: { REIN_HOME: home } });
    const url = await server!.createDatabase();
    const imported = await runRein(['memory', 'import', archive, '--to', url], { env: { REIN_HOME: tempDir() } });
    expect(imported.stdout, imported.stderr).toContain('counts and checksums match the archive');
    const team = tempDir();
    fs.writeFileSync(path.join(team, 'rein.yaml'), 'memory: { episodic: "${env:TEAM_DB}" }\n');
    const sessions = await runRein(['sessions'], { env: { REIN_HOME: team, TEAM_DB: url } });
    expect(sessions.stdout).toContain('plan the trip');
    const queued = await runRein(['worker', 'queue', 'summarise the notes'], { env: { REIN_HOME: team, TEAM_DB: url } });
    expect(queued.stdout).toMatch(/^run_[0-9a-f]+\n$/);
    const jobs = await runRein(['worker', 'jobs'], { env: { REIN_HOME: team, TEAM_DB: url } });
    expect(jobs.stdout).toContain(`${queued.stdout.trim()}  queued  attempts 0`);
  }, 60_000);
});
