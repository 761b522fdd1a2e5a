// The memory store contract, run against SQLite and PostgreSQL alike.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { createRedactor } from '../../../src/runtime/base/index.ts';
import { SqliteMemoryStore, type MemoryStore } from '../../../src/runtime/memory/index.ts';
import { PgMemoryStore } from '../../../src/runtime/memory/postgres/pg-memory-store.ts';
import { backends, type Backend } from './backends.ts';

const time = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const SECRET = 'hunter2-very-secret';

function runEvents(runId: string, goal: string, conversationId?: string): RunEvent[] {
  return [
    { type: 'run.started', runId, seq: 1, time: time(1), goal, model: 'qwen3:4b', provider: 'ollama', tools: [], ...(conversationId ? { conversationId } : {}) },
    { type: 'model.delta', runId, seq: 2, time: time(2), step: 1, text: 'hi' },
    { type: 'model.completed', runId, seq: 3, time: time(3), step: 1, usage: { promptTokens: 30, completionTokens: 4 }, toolCalls: 0, durationMs: 5 },
    { type: 'run.finished', runId, seq: 4, time: time(4), status: 'completed', answer: 'hi', steps: 1, usage: { promptTokens: 30, completionTokens: 4 } },
  ];
}

async function open(backend: Backend): Promise<MemoryStore> {
  const { dataDir, url } = await backend.fresh();
  const redact = createRedactor([SECRET]);
  return url ? PgMemoryStore.open(url, redact) : new SqliteMemoryStore(path.join(dataDir, 'rein.db'), redact);
}

/** Whether the store can keep vectors (PostgreSQL without pgvector cannot). */
function vectorsOff(store: MemoryStore): string | undefined {
  return store instanceof PgMemoryStore ? store.notice : undefined;
}

describe.each(backends())('memory store contract: $name', (backend) => {
  it.skipIf(backend.skip)('logs every event, lists sessions with goal, status, tokens and conversation, and queries by seq and time', async () => {
    const store = await open(backend);
    for (const event of [...runEvents('run_a', 'first goal'), ...runEvents('run_b', 'second goal', 'run_a')]) await store.appendEvent(event);
    expect((await store.listSessions()).map((s) => s.id).sort()).toEqual(['run_a', 'run_b']);
    expect(await store.getSession('run_a')).toMatchObject({ title: 'first goal', goal: 'first goal', status: 'completed', steps: 1, model: 'qwen3:4b', usage: { promptTokens: 30, completionTokens: 4 } });
    expect((await store.getSession('run_b'))?.conversationId).toBe('run_a');
    expect((await store.getSession('run_a'))?.conversationId).toBeUndefined();
    expect((await store.sessionEvents('run_a')).map((e) => e.type)).toEqual(['run.started', 'model.delta', 'model.completed', 'run.finished']);
    expect((await store.sessionEvents('run_a', { afterSeq: 2 })).map((e) => e.seq)).toEqual([3, 4]);
    expect((await store.sessionEvents('run_a', { since: time(2), until: time(3) })).map((e) => e.seq)).toEqual([2, 3]);
    expect(await store.lastSeq('run_b')).toBe(4);
    expect(await store.lastSeq('nobody')).toBe(0);
    expect(await store.getSession('nobody')).toBeUndefined();
    await store.close();
  });

  it.skipIf(backend.skip)('keeps the order of events appended without waiting, and reads see them', async () => {
    const store = await open(backend);
    const events = runEvents('run_fast', 'fire and forget');
    const writes = events.map((event) => store.appendEvent(event)); // as the memory extension does: not awaited one by one
    expect((await store.sessionEvents('run_fast')).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    await Promise.all(writes);
    expect(await store.getSession('run_fast')).toMatchObject({ status: 'completed' });
    await store.close();
  });

  it.skipIf(backend.skip)('saves, replaces and loads checkpoints; deleting a session removes its log, checkpoint and notes', async () => {
    const store = await open(backend);
    for (const event of runEvents('run_c', 'checkpointed')) await store.appendEvent(event);
    const working = { compactedThrough: 1, recalled: [] };
    await store.saveCheckpoint({ sessionId: 'run_c', step: 1, seq: 2, run: { messages: [{ role: 'user', content: 'go' }], step: 1, usage: { promptTokens: 1, completionTokens: 1 }, reflections: 0 }, working });
    await store.saveCheckpoint({ sessionId: 'run_c', step: 2, seq: 3, run: { messages: [{ role: 'user', content: 'go on' }], step: 2, usage: { promptTokens: 2, completionTokens: 2 }, reflections: 1 }, working });
    expect(await store.loadCheckpoint('run_c')).toEqual({ sessionId: 'run_c', step: 2, seq: 3, run: { messages: [{ role: 'user', content: 'go on' }], step: 2, usage: { promptTokens: 2, completionTokens: 2 }, reflections: 1 }, working });
    const note = await store.addNote({ content: 'written in run_c', kind: 'fact', source: 'remember', sessionId: 'run_c', step: 1 });
    const other = await store.addNote({ content: 'written elsewhere', kind: 'fact', source: 'user' });
    expect(await store.deleteSession('run_c')).toBe(true);
    expect(await store.deleteSession('run_c')).toBe(false);
    expect(await store.getSession('run_c')).toBeUndefined();
    expect(await store.sessionEvents('run_c')).toEqual([]);
    expect(await store.loadCheckpoint('run_c')).toBeUndefined();
    expect((await store.getNotes([note.id, other.id])).map((n) => n.id)).toEqual([other.id]);
    await store.close();
  });

  it.skipIf(backend.skip)('redacts secrets from events, sessions, checkpoints and notes before writing', async () => {
    const store = await open(backend);
    for (const event of runEvents('run_s', `use password ${SECRET} now`)) await store.appendEvent(event);
    await store.saveCheckpoint({ sessionId: 'run_s', step: 1, seq: 4, run: { messages: [{ role: 'user', content: SECRET }], step: 1, usage: { promptTokens: 1, completionTokens: 1 }, reflections: 0 }, working: { compactedThrough: 1, recalled: [] } });
    const note = await store.addNote({ content: `the key is ${SECRET}`, kind: 'fact', source: 'user' });
    const everything = JSON.stringify([await store.getSession('run_s'), await store.sessionEvents('run_s'), await store.loadCheckpoint('run_s'), await store.getNotes([note.id])]);
    expect(everything).not.toContain(SECRET);
    expect(everything).toContain('[REDACTED]');
    await store.close();
  });

  it.skipIf(backend.skip)('keeps notes: order of ids, newest first, edit, pins, touch; ids are never reused and a restored note keeps its id', async () => {
    const store = await open(backend);
    const a = await store.addNote({ content: 'apples are red', kind: 'fact', source: 'user' });
    const b = await store.addNote({ content: 'bananas are yellow', kind: 'summary', source: 'compaction', sessionId: 'run_x', step: 3 });
    const c = await store.addNote({ content: 'cherries are dark', kind: 'session', source: 'session-end' });
    expect(a.id < b.id && b.id < c.id).toBe(true);
    expect((await store.getNotes([c.id, a.id, 999_999])).map((n) => n.id)).toEqual([c.id, a.id]);
    expect((await store.getNotes([b.id]))[0]).toEqual(b);
    expect(b).toMatchObject({ kind: 'summary', source: 'compaction', sessionId: 'run_x', step: 3 });
    expect((await store.recentNotes(2)).map((n) => n.id)).toEqual([c.id, b.id]);

    const edited = await store.updateNote(a.id, 'apples are green');
    expect(edited).toMatchObject({ id: a.id, content: 'apples are green', createdAt: a.createdAt });
    expect(await store.searchText('red', 5)).toEqual([]);
    expect((await store.searchText('green', 5)).map((h) => h.id)).toEqual([a.id]);
    expect(await store.updateNote(999_999, 'x')).toBeUndefined();

    const pinnedC = await store.setPinned(c.id, true);
    await new Promise((r) => setTimeout(r, 5));
    await store.setPinned(a.id, true);
    expect((await store.setPinned(c.id, true))?.pinnedAt).toBe(pinnedC?.pinnedAt); // the first pin time stays
    expect((await store.pinnedNotes()).map((n) => n.id)).toEqual([c.id, a.id]);
    expect((await store.setPinned(c.id, false))?.pinnedAt).toBeUndefined();
    expect((await store.pinnedNotes()).map((n) => n.id)).toEqual([a.id]);

    await store.touchNotes([b.id]);
    expect((await store.getNotes([b.id]))[0]?.lastUsedAt).toBeDefined();

    expect(await store.deleteNote(c.id)).toBe(true);
    expect(await store.deleteNote(c.id)).toBe(false);
    const d = await store.addNote({ content: 'dates are sweet', kind: 'fact', source: 'user' });
    expect(d.id).toBeGreaterThan(c.id); // the deleted largest id is not handed out again
    const restored = await store.restoreNote(c);
    expect(restored).toEqual({ ...c });
    expect((await store.searchText('cherries', 5)).map((h) => h.id)).toEqual([c.id]);
    const again = await store.restoreNote({ ...b, content: 'a copy of b' }); // b's id is taken: a new one
    expect(again.id).toBeGreaterThan(d.id);
    const e = await store.addNote({ content: 'elderberries', kind: 'fact', source: 'user' });
    expect(e.id).toBeGreaterThan(again.id);
    await store.close();
  });

  it.skipIf(backend.skip)('keeps deleted notes restorable for a while, the newest few, for any process', async () => {
    const store = await open(backend);
    const a = await store.addNote({ content: 'alpha', kind: 'fact', source: 'user' });
    const b = await store.addNote({ content: 'beta', kind: 'fact', source: 'user' });
    const c = await store.addNote({ content: 'gamma', kind: 'fact', source: 'user' });
    const since = Date.now() - 60_000;
    for (const note of [a, b, c]) {
      await store.keepDeleted(note, since, 2);
      await new Promise((r) => setTimeout(r, 5)); // distinct deletion times
    }
    expect(await store.takeDeleted(a.id, since)).toBeUndefined(); // beyond the newest two
    expect(await store.takeDeleted(b.id, since)).toEqual(b);
    expect(await store.takeDeleted(b.id, since)).toBeUndefined(); // taken once
    expect(await store.takeDeleted(c.id, Date.now() + 60_000)).toBeUndefined(); // deleted too long ago
    await store.close();
  });

  it.skipIf(backend.skip)('searches notes by words: any word matches, stop words and query syntax are harmless, more matching words rank first', async () => {
    const store = await open(backend);
    const invoice = await store.addNote({ content: 'The invoice for ACME was paid in March', kind: 'fact', source: 'user' });
    const both = await store.addNote({ content: 'ACME invoice disputed; the ACME invoice was paid late', kind: 'fact', source: 'user' });
    await store.addNote({ content: 'Unrelated: the cat sleeps', kind: 'fact', source: 'user' });
    expect((await store.searchText('invoice', 10)).map((h) => h.id).sort()).toEqual([invoice.id, both.id].sort());
    expect((await store.searchText('disputed invoice', 10))[0]?.id).toBe(both.id);
    expect(await store.searchText('the and of', 10)).toEqual([]);
    expect(await store.searchText('"); DROP TABLE notes; -- (a OR b) NEAR/2 \' & | !', 10)).toEqual([]);
    expect((await store.searchText('invoices', 10)).length).toBe(2); // stemmed
    expect((await store.searchText('invoice', 1)).length).toBe(1);
    await store.close();
  });

  it.skipIf(backend.skip)('keeps each embedding model and dimension in its own space and never mixes them', async () => {
    const store = await open(backend);
    const off = vectorsOff(store);
    if (off && process.env.REIN_TEST_PGVECTOR === '1') throw new Error(`pgvector was expected (REIN_TEST_PGVECTOR=1): ${off}`);
    if (off) {
      await expect(store.ensureSpace('mini', 2)).rejects.toThrow(/vector search is off/);
      await store.close();
      return;
    }
    const a = await store.addNote({ content: 'alpha', kind: 'fact', source: 'user' });
    const b = await store.addNote({ content: 'beta', kind: 'fact', source: 'user' });
    const small = await store.ensureSpace('mini', 2);
    const large = await store.ensureSpace('big', 3);
    expect(small.id).not.toBe(large.id);
    expect(await store.ensureSpace('mini', 2)).toEqual(small);
    await store.setEmbeddings(small, [{ noteId: a.id, vector: [1, 0] }, { noteId: b.id, vector: [0, 1] }]);
    await expect(store.setEmbeddings(large, [{ noteId: a.id, vector: [1, 0] }])).rejects.toThrow(/2 dimensions, big space has 3/);
    const hits = await store.searchVector(small, [0.1, 0.9], 2);
    expect(hits.map((h) => h.id)).toEqual([b.id, a.id]);
    expect(hits[0]!.distance).toBeCloseTo(1 - 0.9 / Math.hypot(0.1, 0.9), 4);
    expect((await store.notesWithoutEmbedding(large, 10)).map((n) => n.id)).toEqual([a.id, b.id]);
    expect((await store.notesWithoutEmbedding(small, 10)).map((n) => n.id)).toEqual([]);
    await store.updateNote(b.id, 'beta, edited'); // its vectors are dropped: embed it again
    expect((await store.notesWithoutEmbedding(small, 10)).map((n) => n.id)).toEqual([b.id]);
    expect(await store.deleteNote(a.id)).toBe(true);
    expect(await store.searchVector(small, [1, 0], 2)).toEqual([]);
    await store.close();
  });
});
