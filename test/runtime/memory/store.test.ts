import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { MemoryStoreError, SqliteMemoryStore } from '../../../src/runtime/memory/index.ts';
import { openDatabase } from '../../../src/runtime/memory/sqlite/open-database.ts';
import { SCHEMA_VERSION } from '../../../src/runtime/memory/sqlite/migrations.ts';
import { tempDir } from '../../support/fixtures.ts';

const time = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function runEvents(runId: string, goal: string): RunEvent[] {
  return [
    { type: 'run.started', runId, seq: 1, time: time(1), goal, model: 'qwen3:4b', provider: 'ollama', tools: [] },
    { type: 'model.delta', runId, seq: 2, time: time(2), step: 1, text: 'hi' },
    { type: 'model.completed', runId, seq: 3, time: time(3), step: 1, usage: { promptTokens: 30, completionTokens: 4 }, toolCalls: 0, durationMs: 5 },
    { type: 'run.finished', runId, seq: 4, time: time(4), status: 'completed', answer: 'hi', steps: 1, usage: { promptTokens: 30, completionTokens: 4 } },
  ];
}

describe('SQLite memory store', () => {
  it('creates the file with WAL, foreign keys and the latest schema', async () => {
    const file = path.join(tempDir(), 'nested', 'rein.db');
    const store = new SqliteMemoryStore(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('logs every event, lists sessions with goal, status and token totals, and queries by seq and time', async () => {
    const store = new SqliteMemoryStore(path.join(tempDir(), 'rein.db'));
    for (const event of [...runEvents('run_a', 'first goal'), ...runEvents('run_b', 'second goal')]) await store.appendEvent(event);
    const sessions = await store.listSessions();
    expect(sessions.map((s) => s.id).sort()).toEqual(['run_a', 'run_b']);
    expect(await store.getSession('run_a')).toMatchObject({ title: 'first goal', goal: 'first goal', status: 'completed', steps: 1, model: 'qwen3:4b', usage: { promptTokens: 30, completionTokens: 4 } });
    expect((await store.sessionEvents('run_a')).map((e) => e.type)).toEqual(['run.started', 'model.delta', 'model.completed', 'run.finished']);
    expect((await store.sessionEvents('run_a', { afterSeq: 2 })).map((e) => e.seq)).toEqual([3, 4]);
    expect((await store.sessionEvents('run_a', { since: time(2), until: time(3) })).map((e) => e.seq)).toEqual([2, 3]);
    expect(await store.lastSeq('run_b')).toBe(4);
    await store.close();
  });

  it('refuses a file that is not SQLite with a clear error and leaves it untouched', () => {
    const file = path.join(tempDir(), 'rein.db');
    const content = 'these are my notes, not a database\n'.repeat(20);
    fs.writeFileSync(file, content);
    expect(() => new SqliteMemoryStore(file)).toThrow(MemoryStoreError);
    expect(() => new SqliteMemoryStore(file)).toThrow(`${file} is not a SQLite database (memory.path); it was left untouched`);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a corrupt SQLite file with an error naming it, leaving its bytes as they were', () => {
    const file = path.join(tempDir(), 'rein.db');
    const bytes = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 0xab)]);
    fs.writeFileSync(file, bytes);
    expect(() => new SqliteMemoryStore(file)).toThrow(new RegExp(`cannot open the memory database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('migrates a file from an older schema, keeping its data', async () => {
    const file = path.join(tempDir(), 'rein.db');
    const old = openDatabase(file, 1);
    old.prepare("INSERT INTO sessions (id, title, goal, status, created_at, updated_at) VALUES ('run_old', 'old', 'old goal', 'completed', 'x', 'x')").run();
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();
    const store = new SqliteMemoryStore(file);
    expect(await store.getSession('run_old')).toMatchObject({ goal: 'old goal', status: 'completed' });
    const note = await store.addNote({ content: 'notes work after the migration', kind: 'fact', source: 'user' });
    expect(await store.searchText('migration', 5)).toEqual([{ id: note.id, rank: 0 }]);
    await store.close();
  });

  it('refuses a file from a newer Rein', () => {
    const file = path.join(tempDir(), 'rein.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => new SqliteMemoryStore(file)).toThrow(/newer than this Rein understands/);
  });

  it('keeps each embedding model and dimension in its own space and never mixes them', async () => {
    const store = new SqliteMemoryStore(path.join(tempDir(), 'rein.db'));
    const a = await store.addNote({ content: 'alpha', kind: 'fact', source: 'user' });
    const b = await store.addNote({ content: 'beta', kind: 'fact', source: 'user' });
    const small = await store.ensureSpace('mini', 2);
    const large = await store.ensureSpace('big', 3);
    expect(small.id).not.toBe(large.id);
    await store.setEmbeddings(small, [{ noteId: a.id, vector: [1, 0] }, { noteId: b.id, vector: [0, 1] }]);
    await expect(store.setEmbeddings(large, [{ noteId: a.id, vector: [1, 0] }])).rejects.toThrow(/2 dimensions, big space has 3/);
    expect((await store.searchVector(small, [0.1, 0.9], 2)).map((h) => h.id)).toEqual([b.id, a.id]);
    expect((await store.notesWithoutEmbedding(large, 10)).map((n) => n.id)).toEqual([a.id, b.id]);
    expect(await store.deleteNote(a.id)).toBe(true);
    expect((await store.searchVector(small, [1, 0], 2)).map((h) => h.id)).toEqual([b.id]);
    expect(await store.searchText('alpha', 5)).toEqual([]);
    await store.close();
  });
});

describe('vector index at scale', () => {
  it('partitions a large space by k-means and still finds each vector\'s own note first', async () => {
    const store = new SqliteMemoryStore(path.join(tempDir(), 'rein.db'));
    const space = await store.ensureSpace('bench', 16);
    let seed = 1;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
    const vectors: { noteId: number; vector: number[] }[] = [];
    for (let i = 0; i < 5000; i++) {
      const note = await store.addNote({ content: `note ${i}`, kind: 'fact', source: 'test' });
      vectors.push({ noteId: note.id, vector: Array.from({ length: 16 }, random) });
    }
    for (let i = 0; i < vectors.length; i += 1000) await store.setEmbeddings(space, vectors.slice(i, i + 1000));
    await store.close();

    const reopened = new SqliteMemoryStore(store.location);
    const db = new Database(store.location, { readonly: true });
    sqliteVec.load(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM vector_centroids').get()).toEqual({ n: 64 });
    expect((db.prepare('SELECT COUNT(DISTINCT cluster) AS n FROM note_vectors_1').get() as { n: number }).n).toBeGreaterThan(32);
    db.close();
    for (const probe of [vectors[0]!, vectors[2500]!, vectors[4999]!]) {
      expect((await reopened.searchVector(space, probe.vector, 3))[0]!.id).toBe(probe.noteId);
    }
    const later = await reopened.addNote({ content: 'added after training', kind: 'fact', source: 'test' });
    const fresh = Array.from({ length: 16 }, random);
    await reopened.setEmbeddings(space, [{ noteId: later.id, vector: fresh }]);
    expect((await reopened.searchVector(space, fresh, 1))[0]!.id).toBe(later.id);
    await reopened.close();
  }, 60_000);
});
