// The knowledge store contract, run against SQLite and PostgreSQL alike.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteKnowledgeStore, type KnowledgeStore } from '../../../src/runtime/knowledge/index.ts';
import { PgKnowledgeStore } from '../../../src/runtime/knowledge/postgres/pg-knowledge-store.ts';
import type { ChunkInput } from '../../../src/runtime/knowledge/types.ts';
import { backends, type Backend } from './backends.ts';

async function open(backend: Backend): Promise<KnowledgeStore> {
  const { dataDir, url } = await backend.fresh();
  return url ? PgKnowledgeStore.open(url) : new SqliteKnowledgeStore(path.join(dataDir, 'rein.db'));
}

const chunk = (text: string, headings: string[] = [], lines?: [number, number]): ChunkInput => ({
  text,
  hash: `h:${text}`,
  headings,
  ...(lines ? { lineStart: lines[0], lineEnd: lines[1] } : {}),
});

async function fileWith(store: KnowledgeStore, sourceId: number, file: string, chunks: ChunkInput[]) {
  const row = await store.setFileState(sourceId, { path: file, size: 10, mtimeMs: 1.5, state: 'pending' });
  const { added } = await store.replaceChunks(row.id, `hash:${file}`, chunks);
  return { file: (await store.getFile(sourceId, file))!, added };
}

describe.each(backends())('knowledge store contract: $name', (backend) => {
  it.skipIf(backend.skip)('adds sources (the same path again updates it), lists, scopes them to a conversation and removes them with their files', async () => {
    const store = await open(backend);
    const docs = await store.addSource({ path: '/docs', kind: 'folder', include: ['**/*.md'], exclude: [], origin: 'config' });
    const again = await store.addSource({ path: '/docs', kind: 'folder', include: ['**/*.txt'], exclude: ['tmp/**'], origin: 'config' });
    expect(again).toMatchObject({ id: docs.id, include: ['**/*.txt'], exclude: ['tmp/**'] });
    const scoped = await store.addSource({ path: '/docs', kind: 'folder', include: [], exclude: [], conversationId: 'run_1', origin: 'user' });
    expect(scoped.id).not.toBe(docs.id);
    expect((await store.listSources()).map((s) => [s.id, s.conversationId ?? null, s.include])).toEqual([[docs.id, null, ['**/*.txt']], [scoped.id, 'run_1', []]]);
    const { file } = await fileWith(store, docs.id, '/docs/a.md', [chunk('alpha passage')]);
    expect(file).toMatchObject({ sourceId: docs.id, path: '/docs/a.md', size: 10, mtimeMs: 1.5, hash: 'hash:/docs/a.md', state: 'indexed', chunks: 1 });
    expect(await store.counts()).toEqual({ chunks: 1, files: 1 });
    expect(await store.removeSource(docs.id)).toBe(true);
    expect(await store.removeSource(docs.id)).toBe(false);
    expect(await store.counts()).toEqual({ chunks: 0, files: 0 });
    expect(await store.searchText('alpha', {}, 5)).toEqual([]);
    await store.close();
  });

  it.skipIf(backend.skip)('replaces a file\'s passages keeping unchanged ones (id and vector), and drops them when the file is skipped or removed', async () => {
    const store = await open(backend);
    const source = await store.addSource({ path: '/d', kind: 'folder', include: [], exclude: [], origin: 'user' });
    const { file, added } = await fileWith(store, source.id, '/d/x.md', [chunk('one', ['Intro'], [1, 2]), chunk('two'), chunk('three')]);
    expect(added).toHaveLength(3);
    const second = await store.replaceChunks(file.id, 'hash2', [chunk('zero'), chunk('one', ['Intro', 'Moved'], [5, 6]), chunk('three')]);
    expect(second.kept).toBe(2);
    expect(second.added).toHaveLength(1);
    const chunks = await store.fileChunks(file.id);
    expect(chunks.map((c) => [c.seq, c.text])).toEqual([[0, 'zero'], [1, 'one'], [2, 'three']]);
    expect(chunks[1]).toMatchObject({ id: added[0], headings: ['Intro', 'Moved'], lineStart: 5, lineEnd: 6 });
    expect(await store.getChunks([chunks[2]!.id, 424242, chunks[0]!.id])).toMatchObject([{ text: 'three', path: '/d/x.md', sourceId: source.id }, { text: 'zero' }]);
    expect(await store.searchText('two', {}, 5)).toEqual([]);
    expect((await store.searchText('moved', {}, 5)).map((h) => h.id)).toEqual([added[0]]); // headings are searched too

    const skipped = await store.setFileState(source.id, { path: '/d/x.md', size: 99, mtimeMs: 2, state: 'skipped', reason: 'too large' });
    expect(skipped).toMatchObject({ state: 'skipped', reason: 'too large', chunks: 0 });
    expect(skipped.hash).toBeUndefined();
    expect(await store.searchText('zero', {}, 5)).toEqual([]);
    const { file: y } = await fileWith(store, source.id, '/d/y.md', [chunk('why not')]);
    expect((await store.listFiles(source.id)).map((f) => f.path)).toEqual(['/d/x.md', '/d/y.md']);
    await store.removeFile(y.id);
    expect(await store.getFile(source.id, '/d/y.md')).toBeUndefined();
    expect(await store.counts()).toEqual({ chunks: 0, files: 0 });
    await store.close();
  });

  it.skipIf(backend.skip)('searches passages by words with filters by source and file name; text outranks headings and path', async () => {
    const store = await open(backend);
    const a = await store.addSource({ path: '/a', kind: 'folder', include: [], exclude: [], origin: 'user' });
    const b = await store.addSource({ path: '/b', kind: 'folder', include: [], exclude: [], origin: 'user' });
    const inText = (await fileWith(store, a.id, '/a/notes.md', [chunk('the budget was approved for budget 2026')])).added[0]!;
    const inHeading = (await fileWith(store, a.id, '/a/other.md', [chunk('numbers follow', ['Budget'])])).added[0]!;
    const inB = (await fileWith(store, b.id, '/b/Report_100%.md', [chunk('budget report from b')])).added[0]!;
    expect((await store.searchText('budget', {}, 10)).map((h) => h.id)[0]).toBe(inText);
    expect((await store.searchText('budget', {}, 10)).map((h) => h.id).sort()).toEqual([inText, inHeading, inB].sort());
    expect((await store.searchText('budget', { sourceIds: [b.id] }, 10)).map((h) => h.id)).toEqual([inB]);
    expect(await store.searchText('budget', { sourceIds: [] }, 10)).toEqual([]);
    expect((await store.searchText('budget', { file: 'report_100%' }, 10)).map((h) => h.id)).toEqual([inB]);
    expect(await store.searchText('budget', { file: 'report_1000' }, 10)).toEqual([]);
    expect(await store.searchText('the of and', {}, 10)).toEqual([]);
    expect(await store.searchText('") OR 1=1 -- \' | &', {}, 10)).toEqual([]);
    await store.close();
  });

  it.skipIf(backend.skip)('keeps passage vectors per space, finds the nearest with filters, and re-embeds only what is missing', async () => {
    const store = await open(backend);
    const off = store instanceof PgKnowledgeStore ? store.notice : undefined;
    if (off && process.env.REIN_TEST_PGVECTOR === '1') throw new Error(`pgvector was expected (REIN_TEST_PGVECTOR=1): ${off}`);
    if (off) {
      await expect(store.ensureSpace('m', 2)).rejects.toThrow(/vector search is off/);
      await store.close();
      return;
    }
    const a = await store.addSource({ path: '/a', kind: 'folder', include: [], exclude: [], origin: 'user' });
    const b = await store.addSource({ path: '/b', kind: 'folder', include: [], exclude: [], origin: 'user' });
    const [x, y] = (await fileWith(store, a.id, '/a/f.md', [chunk('x'), chunk('y')])).added as [number, number];
    const [z] = (await fileWith(store, b.id, '/b/g.md', [chunk('z')])).added as [number];
    const space = await store.ensureSpace('m', 2);
    expect(await store.ensureSpace('m', 2)).toEqual(space);
    await expect(store.setVectors(space, [{ chunkId: x, vector: [1, 2, 3] }])).rejects.toThrow(/3 dimensions, m has 2/);
    await store.setVectors(space, [{ chunkId: x, vector: [1, 0] }, { chunkId: y, vector: [0, 1] }, { chunkId: 999_999, vector: [1, 1] }]);
    expect((await store.chunksWithoutVector(space, 10)).map((c) => c.id)).toEqual([z]);
    await store.setVectors(space, [{ chunkId: z, vector: [0.9, 0.1] }]);
    const near = await store.searchVector(space, [1, 0.05], {}, 3);
    expect(near.map((h) => h.id)).toEqual([x, z, y]);
    expect(near.map((h) => h.rank)).toEqual([0, 1, 2]);
    expect((await store.searchVector(space, [1, 0.05], { sourceIds: [b.id] }, 3)).map((h) => h.id)).toEqual([z]);
    expect((await store.searchVector(space, [1, 0.05], { file: 'F.MD' }, 1)).map((h) => h.id)).toEqual([x]);
    const other = await store.ensureSpace('n', 3);
    expect((await store.chunksWithoutVector(other, 10)).map((c) => c.id)).toEqual([x, y, z]);
    await store.removeSource(a.id);
    expect((await store.searchVector(space, [1, 0], {}, 3)).map((h) => h.id)).toEqual([z]);
    await store.close();
  });
});
