// What only the PostgreSQL backend has: migrations applied once when hosts start together, a newer schema refused,
// and a server without pgvector (or a role that may not enable it) → a clear notice and full-text recall only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemanticMemory, type Embedder } from '../../../src/runtime/memory/index.ts';
import { PgMemoryStore } from '../../../src/runtime/memory/postgres/pg-memory-store.ts';
import { admin, postgresUnavailable, startTestPostgres, type TestPostgres } from '../../support/postgres.ts';

const embedder: Embedder = { model: 'tiny-embed', embed: async (texts) => texts.map((t) => [t.length, 1, 0]) };

describe.skipIf(postgresUnavailable)('PostgreSQL stores', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(() => server?.stop(), 60_000);

  it('migrates once when several hosts open the same empty database at the same time', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([1, 2, 3].map((i) => PgMemoryStore.open(`${url}?application_name=host_${i}`)));
    const note = await stores[0]!.addNote({ content: 'written by host 1', kind: 'fact', source: 'user' });
    expect((await stores[2]!.getNotes([note.id]))[0]?.content).toBe('written by host 1');
    await Promise.all(stores.map((s) => s.close()));
  });

  it('refuses a database of a newer Rein, naming the schema versions', async () => {
    const url = await server.createDatabase();
    await (await PgMemoryStore.open(url)).close();
    await admin(url, "UPDATE rein_schema SET version = 99 WHERE component = 'memory'");
    await expect(PgMemoryStore.open(url)).rejects.toThrow(/memory schema version 99, newer than this Rein understands \(\d+\); update Rein/);
  });

  it('without pgvector (a role that may not enable it): a clear notice, and recall by full text only', async () => {
    const url = await server.createDatabase();
    const role = `rein_limited_${process.pid}`;
    await admin(server.url, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin(server.url, `CREATE ROLE ${role} LOGIN`);
    await admin(url, `GRANT CONNECT ON DATABASE ${new URL(url).pathname.slice(1)} TO ${role}; GRANT CREATE, USAGE ON SCHEMA public TO ${role}`);
    const limited = new URL(url);
    limited.username = role;
    const store = await PgMemoryStore.open(limited.toString());
    expect(store.notice).toMatch(/vector search is off — pgvector could not be enabled \(permission denied.*\); ask the database owner to run CREATE EXTENSION vector; recall uses full-text search only/);
    await store.addNote({ content: 'the invoice was paid in March', kind: 'fact', source: 'user' });
    const recall = await new SemanticMemory(store, embedder).recall('invoice', 5);
    expect(recall.mode).toBe('text');
    expect(recall.unavailable).toMatch(/vector search is off/);
    expect(recall.notes.map((n) => n.content)).toEqual(['the invoice was paid in March']);
    await store.close();
    await admin(url, `REVOKE ALL ON SCHEMA public FROM ${role}`).catch(() => undefined);
  });
});
