// Migration round trip: a SQLite data dir with 10,000 notes (with vectors), 100 sessions and a knowledge source →
// `rein memory export` → import into PostgreSQL → the same notes recalled for 20 fixed queries, counts and
// checksums equal. Also: the archive is refused when damaged, and a dry run writes nothing.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { differences, exportArchive, importArchive, summarizeStores } from '../../../src/runtime/archive/index.ts';
import { SqliteKnowledgeStore } from '../../../src/runtime/knowledge/index.ts';
import { PgKnowledgeStore } from '../../../src/runtime/knowledge/postgres/pg-knowledge-store.ts';
import { SemanticMemory, SqliteMemoryStore, type Embedder } from '../../../src/runtime/memory/index.ts';
import { PgMemoryStore } from '../../../src/runtime/memory/postgres/pg-memory-store.ts';
import { tempDir } from '../../support/fixtures.ts';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../support/postgres.ts';

const DIMS = 48;
const MODEL = 'nomic-embed-text';

/**
 * Each word a fixed pseudo-random direction, a text the sum of its words (rare tag words weigh more, as an embedding
 * model's would): texts sharing a tag point alike, and there are no ties.
 */
const embedder: Embedder = {
  model: MODEL,
  embed: async (texts) =>
    texts.map((text) => {
      const v = new Array<number>(DIMS).fill(0);
      for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
        const bytes = createHash('sha256').update(word).digest();
        const weight = word.startsWith('qtag') ? 6 : 1;
        for (let i = 0; i < DIMS; i++) v[i]! += (weight * (bytes[i % 32]! - 127.5) / 127.5) * (i < 32 ? 1 : -1);
      }
      return v;
    }),
};

const time = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

function session(i: number): RunEvent[] {
  const runId = `run_${String(i).padStart(4, '0')}`;
  return [
    { type: 'run.started', runId, seq: 1, time: time(i * 10), goal: `goal number ${i}`, model: 'qwen3:4b', provider: 'ollama', tools: [] },
    { type: 'tool.called', runId, seq: 2, time: time(i * 10 + 1), step: 1, callId: 'c1', name: 'echo', args: { text: `hi ${i}` } },
    { type: 'tool.result', runId, seq: 3, time: time(i * 10 + 2), step: 1, callId: 'c1', name: 'echo', ok: true, output: `echo ${i}`, durationMs: 1 },
    { type: 'model.completed', runId, seq: 4, time: time(i * 10 + 3), step: 1, usage: { promptTokens: 10 + i, completionTokens: 2 }, toolCalls: 1, durationMs: 3 },
    { type: 'run.finished', runId, seq: 5, time: time(i * 10 + 4), status: i % 10 === 0 ? 'failed' : 'completed', answer: 'ok', steps: 1, usage: { promptTokens: 10 + i, completionTokens: 2 } },
  ];
}

describe.skipIf(postgresUnavailable)('memory archive round trip, SQLite → PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(() => server?.stop(), 60_000);

  it('moves 10,000 notes, 100 sessions and a knowledge source: the same notes recalled for 20 queries, counts and checksums equal', async () => {
    const dir = tempDir();
    const source = new SqliteMemoryStore(path.join(dir, 'rein.db'));
    for (let i = 0; i < 100; i++) for (const event of session(i)) await source.appendEvent(event);
    await source.saveCheckpoint({ sessionId: 'run_0007', step: 1, seq: 3, run: { messages: [{ role: 'user', content: 'goal number 7' }], step: 1, usage: { promptTokens: 1, completionTokens: 1 }, reflections: 0 }, working: { compactedThrough: 1, recalled: [] } });
    const space = await source.ensureSpace(MODEL, DIMS);
    for (let start = 0; start < 10_000; start += 500) {
      const notes = [];
      for (let i = start; i < start + 500; i++) {
        notes.push(await source.addNote({ content: `Note ${i} about topic${i % 50} marked qtag${i % 2000}`, kind: i % 7 === 0 ? 'summary' : 'fact', source: 'remember', sessionId: `run_${String(i % 100).padStart(4, '0')}`, step: 1 }));
      }
      const vectors = await embedder.embed(notes.map((n) => n.content));
      await source.setEmbeddings(space, notes.map((n, j) => ({ noteId: n.id, vector: vectors[j]! })));
    }
    await source.setPinned(42, true);
    const knowledge = new SqliteKnowledgeStore(path.join(dir, 'rein.db'));
    const docs = await knowledge.addSource({ path: '/docs', kind: 'folder', include: ['**/*.md'], exclude: [], origin: 'config' });
    const kspace = await knowledge.ensureSpace(MODEL, DIMS);
    for (let f = 0; f < 20; f++) {
      const row = await knowledge.setFileState(docs.id, { path: `/docs/file-${f}.md`, size: 100 + f, mtimeMs: 1000 + f, state: 'pending' });
      const chunks = Array.from({ length: 5 }, (_, c) => ({ text: `passage ${c} of file ${f} on budgets`, hash: `h${f}-${c}`, headings: [`File ${f}`], lineStart: c * 10 + 1, lineEnd: c * 10 + 9 }));
      const { added } = await knowledge.replaceChunks(row.id, `file-hash-${f}`, chunks);
      const vectors = await embedder.embed(chunks.map((c) => c.text));
      await knowledge.setVectors(kspace, added.map((id, i) => ({ chunkId: id, vector: vectors[i]! })));
    }
    await knowledge.setFileState(docs.id, { path: '/docs/huge.pdf', size: 10 ** 9, mtimeMs: 5, state: 'skipped', reason: 'larger than the cap' });

    const archive = path.join(dir, 'backup.jsonl');
    const out = fs.openSync(archive, 'w');
    const exported = await exportArchive(source, knowledge, (line) => void fs.writeSync(out, `${line}\n`));
    fs.closeSync(out);
    expect(exported.counts).toMatchObject({ sessions: 100, notes: 10_000, [`note vectors (${MODEL}, ${DIMS})`]: 10_000, 'knowledge sources': 1, 'knowledge files': 21, [`knowledge vectors (${MODEL}, ${DIMS})`]: 100 });

    const url = await server.createDatabase();
    const memory = await PgMemoryStore.open(url);
    const pgKnowledge = await PgKnowledgeStore.open(url);
    const lines = async function* () {
      yield* fs.readFileSync(archive, 'utf8').split('\n');
    };
    const report = await importArchive(lines(), { memory, knowledge: pgKnowledge, embedModel: MODEL });
    expect(differences(report.expected, report.read)).toEqual([]);
    expect(report.vectorsToReembed).toBe(0);
    const imported = await summarizeStores(memory, pgKnowledge);
    expect(differences(exported, imported)).toEqual([]);
    expect(imported).toEqual(exported);

    // Same sessions, same recall.
    expect(await memory.getSession('run_0010')).toEqual(await source.getSession('run_0010'));
    expect(await memory.loadCheckpoint('run_0007')).toEqual(await source.loadCheckpoint('run_0007'));
    expect((await memory.pinnedNotes()).map((n) => n.id)).toEqual([42]);
    const before = new SemanticMemory(source, embedder);
    const after = new SemanticMemory(memory, embedder);
    for (let q = 0; q < 20; q++) {
      const query = `qtag${q * 97}`;
      const [a, b] = [await before.recall(query, 5), await after.recall(query, 5)];
      expect(a.mode).toBe('hybrid');
      expect(b.mode).toBe('hybrid');
      // The same notes (full-text ranks ties apart differently: bm25 in SQLite, ts_rank_cd in PostgreSQL).
      expect(new Set(b.notes.map((n) => n.id)), query).toEqual(new Set(a.notes.map((n) => n.id)));
      expect(a.notes.length).toBe(5);
    }
    // Another embedding model on the target: its vectors are left out, to be embedded again.
    const url2 = await server.createDatabase();
    const other = await PgMemoryStore.open(url2);
    const report2 = await importArchive(lines(), { memory: other, embedModel: 'mxbai-embed-large' });
    expect(report2.vectorsToReembed).toBe(10_100);
    expect(await other.spaces()).toEqual([]);
    await expect(importArchive(lines(), { memory: other, embedModel: MODEL })).rejects.toThrow(/already holds memory/);
    await Promise.all([other.close(), memory.close(), pgKnowledge.close(), source.close(), knowledge.close()]);
  }, 240_000);

  it('refuses a damaged or cut archive, and a dry run reads without writing', async () => {
    const lines = (text: string) => (async function* () { yield* text.split('\n'); })();
    await expect(importArchive(lines('{"type":"note"}'), undefined)).rejects.toThrow(/not a Rein archive/);
    const header = JSON.stringify({ type: 'header', format: 'rein-archive', version: 1, createdAt: 'x', source: 'x' });
    await expect(importArchive(lines(`${header}\n{"type": "note", "note": {`), undefined)).rejects.toThrow(/line 2 is not JSON/);
    await expect(importArchive(lines(`${header}\n`), undefined)).rejects.toThrow(/cut short/);
    await expect(importArchive(lines(JSON.stringify({ type: 'header', format: 'rein-archive', version: 99 })), undefined)).rejects.toThrow(/newer than this Rein/);
  });
});
