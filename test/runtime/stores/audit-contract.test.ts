// The audit log contract, SQLite and PostgreSQL: one hash chain with HMACs, secrets redacted, append-only; on
// PostgreSQL two hosts appending at once never fork the chain.
import { describe, expect, it } from 'vitest';
import { openAuditStore, type AuditStore } from '../../../src/runtime/audit/index.ts';
import { backends, type Backend } from './backends.ts';
import { admin } from '../../support/postgres.ts';

const SECRET = 'tok-very-secret-123';
const KEY = 'ab'.repeat(32);

async function open(backend: Backend, env: NodeJS.ProcessEnv = { REIN_AUDIT_KEY: KEY }) {
  const place = await backend.fresh();
  const config = (url = place.url) => ({ dataDir: place.dataDir, secrets: [SECRET], memory: { ...(url ? { episodic: url } : {}) } });
  const previous = process.env.REIN_AUDIT_KEY;
  const withEnv = async <T>(work: () => Promise<T>): Promise<T> => {
    if (env.REIN_AUDIT_KEY === undefined) delete process.env.REIN_AUDIT_KEY;
    else process.env.REIN_AUDIT_KEY = env.REIN_AUDIT_KEY;
    try {
      return await work();
    } finally {
      if (previous === undefined) delete process.env.REIN_AUDIT_KEY;
      else process.env.REIN_AUDIT_KEY = previous;
    }
  };
  return { place, store: await withEnv(() => openAuditStore(config())), another: (url?: string) => withEnv(() => openAuditStore(config(url))), withEnv };
}

async function all(store: AuditStore) {
  const out = [];
  for await (const entry of store.entries()) out.push(entry);
  return out;
}

describe.each(backends())('audit log contract: $name', (backend) => {
  it.skipIf(backend.skip)('chains entries in order, redacts secrets, and verifies', async () => {
    const { store, withEnv } = await open(backend);
    store.record('policy.change', { change: 'policy loaded' });
    store.record('tool.call', { tool: 'fetch', args: { header: `Bearer ${SECRET}` } }, 'run_1');
    store.record('memory.remember', { note: 1 }, 'run_1');
    const entries = await all(store);
    expect(entries.map((e) => [e.seq, e.kind, e.runId ?? null])).toEqual([[1, 'policy.change', null], [2, 'tool.call', 'run_1'], [3, 'memory.remember', 'run_1']]);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(JSON.stringify(entries)).not.toContain(SECRET);
    const verified = await withEnv(() => store.verify());
    expect(verified).toMatchObject({ ok: true, entries: 3 });
    expect(verified.proof.authenticated).toBe(3);
    await store.close();
  });

  it.skipIf(backend.skip || backend.name !== 'postgres')('refuses edits and deletions in the database itself', async () => {
    const { store, place } = await open(backend);
    store.record('tool.call', { tool: 'x' });
    await store.flush();
    await expect(admin(place.url!, "UPDATE audit SET data = '{}' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(admin(place.url!, 'DELETE FROM audit')).rejects.toThrow(/append-only/);
    await expect(admin(place.url!, 'TRUNCATE audit')).rejects.toThrow(/append-only/);
    await store.close();
  });

  it.skipIf(backend.skip || backend.name !== 'postgres')('two hosts appending at once make one chain, never a fork', async () => {
    const { store: first, place, another, withEnv } = await open(backend);
    // Another host: its own pool (another connection string to the same database).
    const second = await another(`${place.url}?application_name=second_host`);
    for (let i = 0; i < 60; i++) {
      first.record('tool.call', { host: 'first', i }, 'run_a');
      second.record('tool.call', { host: 'second', i }, 'run_b');
    }
    await Promise.all([first.flush(), second.flush()]);
    const entries = await all(first);
    expect(entries).toHaveLength(120);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => (e.data as { host: string }).host))).toEqual(new Set(['first', 'second']));
    expect(await withEnv(() => second.verify())).toMatchObject({ ok: true, entries: 120 });
    await Promise.all([first.close(), second.close()]);
  });

  it.skipIf(backend.skip || backend.name !== 'postgres')('a host without the team\'s key is refused, saying how to fix it', async () => {
    const { store, place } = await open(backend);
    store.record('tool.call', { tool: 'x' });
    await store.close();
    const config = { dataDir: place.dataDir, secrets: [], memory: { episodic: place.url! } };
    const previous = process.env.REIN_AUDIT_KEY;
    delete process.env.REIN_AUDIT_KEY;
    try {
      await expect(openAuditStore(config)).rejects.toThrow(/REIN_AUDIT_KEY/);
    } finally {
      if (previous !== undefined) process.env.REIN_AUDIT_KEY = previous;
    }
  });
});
