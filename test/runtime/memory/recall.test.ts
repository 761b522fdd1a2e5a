import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemanticMemory, SqliteMemoryStore, createEmbedder } from '../../../src/runtime/memory/index.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../../support/scripted-ollama.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';

const FACTS = [
  'The staging database runs PostgreSQL 16 on host db-staging.internal, port 5433.',
  'Deployments to production happen every Tuesday after the 10:00 stand-up.',
  'The user prefers answers in British English with metric units.',
  'The API rate limit for the billing service is 120 requests per minute.',
  'Invoices are exported as CSV files into the finance/exports folder.',
  'The cat of the user is called Miso and is allergic to chicken.',
  'Nightly backups are written to the S3 bucket acme-backups in eu-west-1.',
  'The frontend is built with React 19 and Vite; tests use Playwright.',
  'The on-call phone number rotates weekly; the schedule lives in PagerDuty.',
  'Release notes must mention breaking changes in a separate section.',
];

const QUERIES: [string, number][] = [
  ['which port does the staging database use?', 0],
  ['when do we deploy to production', 1],
  ['what spelling and units does the user like', 2],
  ['billing service rate limit', 3],
  ['where do exported invoices go', 4],
  ['what is the name of the cat', 5],
  ['where are the backups stored', 6],
  ['which framework builds the frontend', 7],
  ['on-call schedule', 8],
  ['what goes into release notes', 9],
];

describe('semantic recall', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embeddingDimensions: 256, embedding: 'words' }] });
  });
  afterAll(() => ollama.close());

  async function memoryWith(embedModel: string) {
    const store = new SqliteMemoryStore(path.join(tempDir(), 'rein.db'));
    const memory = new SemanticMemory(store, createEmbedder(testConfig('', ollama.url), embedModel));
    const ids: number[] = [];
    for (const content of FACTS) ids.push((await memory.remember({ content, kind: 'fact', source: 'user' })).id);
    return { store, memory, ids };
  }

  it('hybrid recall puts the right note in the top 3 for every query of a fixed set', async () => {
    const { store, memory, ids } = await memoryWith('nomic-embed-text');
    for (const [query, index] of QUERIES) {
      const found = await memory.recall(query, 3);
      expect(found.mode).toBe('hybrid');
      expect(found.notes.map((n) => n.id), query).toContain(ids[index]);
    }
    expect((await memory.recall('photosynthesis of green plants', 3)).notes).toEqual([]); // nothing related: nothing recalled
    await store.close();
  });

  it('falls back to full-text recall when the embedding model is missing, and says why', async () => {
    const { store, memory, ids } = await memoryWith('no-such-embedder');
    const found = await memory.recall('what is the name of the cat', 3);
    expect(found.mode).toBe('text');
    expect(found.unavailable).toContain('no-such-embedder');
    expect(found.notes.map((n) => n.id)).toContain(ids[5]);
    await store.close();
  });

  it('a new embedding model gets its own vector space and backfills it; notes saved while it was down get vectors later', async () => {
    const file = path.join(tempDir(), 'rein.db');
    const store = new SqliteMemoryStore(file);
    const down = new SemanticMemory(store, createEmbedder(testConfig('', ollama.url), 'no-such-embedder'));
    const note = await down.remember({ content: 'saved while embeddings were down', kind: 'fact', source: 'user' });
    const up = new SemanticMemory(store, createEmbedder(testConfig('', ollama.url), 'nomic-embed-text'));
    expect(await up.backfill()).toBe(1);
    const space = await store.ensureSpace('nomic-embed-text', 256);
    expect(await store.notesWithoutEmbedding(space, 10)).toEqual([]);
    expect((await up.recall('embeddings down', 1)).notes.map((n) => n.id)).toEqual([note.id]);
    await store.close();
  });

  it('backfill waits before each batch for what the caller holds (runs going), and stops when aborted', async () => {
    const file = path.join(tempDir(), 'rein.db');
    const store = new SqliteMemoryStore(file);
    const down = new SemanticMemory(store, createEmbedder(testConfig('', ollama.url), 'no-such-embedder'));
    for (let i = 0; i < 70; i++) await down.remember({ content: `note ${i} saved while embeddings were down`, kind: 'fact', source: 'user' });
    const up = new SemanticMemory(store, createEmbedder(testConfig('', ollama.url), 'nomic-embed-text'));
    const embeds = () => ollama.requests.filter((r) => r.path === '/api/embed').length;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const before = embeds();
    const done = up.backfill(undefined, () => gate);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(embeds()).toBe(before); // held: not even the probe
    open();
    expect(await done).toBe(70); // two batches of at most 64
    const aborted = new AbortController();
    aborted.abort();
    expect(await up.backfill(aborted.signal)).toBe(0);
    await store.close();
  });
});
