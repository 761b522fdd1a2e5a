// Semantic memory with its vectors in Qdrant (memory.semantic: qdrant://host:port/collection). No Qdrant server can
// run here: the real @qdrant/js-client-rest talks over HTTP to a scripted server with Qdrant's endpoints and shapes
// (test/support/scripted-qdrant.ts); embeddings come from the real ollama client and a scripted Ollama.
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportArchive } from '../../../src/runtime/archive/index.ts';
import { QDRANT_KEYCHAIN_SERVICE } from '../../../src/runtime/config/index.ts';
import { openKeychain } from '../../../src/runtime/keychain/index.ts';
import { SemanticMemory, SqliteMemoryStore, createEmbedder, openMemoryStore, type MemoryStore } from '../../../src/runtime/memory/index.ts';
import { EgressBlockedError, Runtime, parseConfig } from '../../../src/runtime/index.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../../support/scripted-ollama.ts';
import { ScriptedQdrant } from '../../support/scripted-qdrant.ts';
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
/** Each query and the fact it is about (FACTS index). */
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
const EMBED = 'nomic-embed-text';
const COLLECTION = `facts--${EMBED}--256`;

describe('semantic memory in Qdrant (the real client against a scripted Qdrant server)', () => {
  let ollama: ScriptedOllama;
  let qdrant: ScriptedQdrant;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({
      models: [
        DEFAULT_MODEL,
        { name: `${EMBED}:latest`, capabilities: ['embedding'], embeddingDimensions: 256, embedding: 'words' },
        { name: 'mxbai-embed-large:latest', capabilities: ['embedding'], embeddingDimensions: 64, embedding: 'words' },
      ],
    });
    qdrant = await ScriptedQdrant.start();
  });
  afterAll(async () => {
    await ollama.close();
    await qdrant.close();
  });

  const config = testConfig('', 'http://127.0.0.1:1');
  const embedder = (model = EMBED) => createEmbedder(testConfig('', ollama.url), model);
  const open = (collection: string, file = path.join(tempDir(), 'rein.db')): Promise<MemoryStore> => openMemoryStore({ memory: { ...config.memory, path: file, semantic: `${qdrant.url}/${collection}` } });

  it('recalls what the SQLite store recalls: Qdrant\'s nearest notes fused with full text from the episodic store', async () => {
    const plain = new SqliteMemoryStore(path.join(tempDir(), 'rein.db'));
    const store = await open('facts');
    expect(store.location).toMatch(/rein\.db \(vectors: qdrant qdrant:\/\/127\.0\.0\.1:\d+\/facts\)/);
    const [local, remote] = [new SemanticMemory(plain, embedder()), new SemanticMemory(store, embedder())];
    for (const content of FACTS) {
      await local.remember({ content, kind: 'fact', source: 'user' });
      await remote.remember({ content, kind: 'fact', source: 'user' });
    }
    expect(qdrant.collections.get(COLLECTION)).toMatchObject({ size: 256, distance: 'Cosine' });
    expect(qdrant.collections.get(COLLECTION)!.points.size).toBe(FACTS.length);
    let byMeaningOnly = 0;
    for (const [query, index] of QUERIES) {
      const [a, b] = [await local.recall(query, 3), await remote.recall(query, 3)];
      expect(b.mode, query).toBe('hybrid');
      // The same best note; further down, notes at exactly the same distance may come in another order (ties are
      // ordered by each backend as it likes, as bm25 and ts_rank_cd do for full text).
      expect(b.notes[0]?.content, query).toBe(a.notes[0]?.content);
      expect(b.notes.map((n) => n.content), query).toContain(FACTS[index]);
      const words = new Set((await store.searchText(query, 40)).map((hit) => hit.id));
      if (b.notes.some((n) => !words.has(n.id))) byMeaningOnly++; // found through Qdrant, not by its words
    }
    expect(byMeaningOnly).toBeGreaterThan(0);
    expect((await remote.recall('photosynthesis of green plants', 3)).notes).toEqual([]);
    // Nothing of a note's text went to Qdrant: a point is a vector and the note's session.
    for (const point of qdrant.collections.get(COLLECTION)!.points.values()) expect(point.payload).toEqual({});
    await Promise.all([plain.close(), store.close()]);
  });

  it('keeps Qdrant in step with the notes: an edit replaces the vector, a deleted note or session takes its vectors along; a space per model', async () => {
    const store = await open('steps');
    const memory = new SemanticMemory(store, embedder());
    const name = `steps--${EMBED}--256`;
    await store.appendEvent({ type: 'run.started', runId: 'run_s1', seq: 1, time: new Date().toISOString(), goal: 'g', model: 'm', provider: 'ollama', tools: [] });
    const [a, b] = [await memory.remember({ content: 'The cat is called Miso', kind: 'fact', source: 'remember', sessionId: 'run_s1' }), await memory.remember({ content: 'Backups go to the acme bucket', kind: 'fact', source: 'remember', sessionId: 'run_s1' })];
    const c = await memory.remember({ content: 'Invoices are CSV files', kind: 'fact', source: 'user' });
    expect(qdrant.collections.get(name)!.points.get(a.id)!.payload).toEqual({ session: 'run_s1' });
    const before = qdrant.vector(name, c.id)!;
    await memory.edit(c.id, 'Invoices are PDF documents from the billing service');
    expect(qdrant.vector(name, c.id)).not.toEqual(before);
    expect((await memory.recall('billing service documents', 1)).notes.map((n) => n.id)).toEqual([c.id]);
    expect(await memory.forget(b.id)).toBe(true);
    expect(qdrant.collections.get(name)!.points.has(b.id)).toBe(false);
    expect(await store.deleteSession('run_s1')).toBe(true);
    expect([...qdrant.collections.get(name)!.points.keys()]).toEqual([c.id]);

    const other = new SemanticMemory(store, createEmbedder(testConfig('', ollama.url), 'mxbai-embed-large:latest'));
    await other.backfill();
    expect(qdrant.collections.get('steps--mxbai-embed-large~3alatest--64')!.points.size).toBe(1);
    expect((await store.spaces()).map((s) => `${s.model}/${s.dimensions}`)).toEqual(['mxbai-embed-large:latest/64', `${EMBED}/256`]);
    // The archive carries each vector tagged with its space.
    const lines: string[] = [];
    const summary = await exportArchive({ memory: store }, (line) => void lines.push(line));
    expect(summary.counts).toMatchObject({ notes: 1, [`note vectors (${EMBED}, 256)`]: 1, 'note vectors (mxbai-embed-large:latest, 64)': 1 });
    await store.close();
  });

  it('Qdrant away: notes are still saved and recall says why it uses full text only; back again, backfill adds the missing vectors', async () => {
    const store = await open('outage');
    const memory = new SemanticMemory(store, embedder());
    const name = `outage--${EMBED}--256`;
    await memory.remember({ content: 'The staging database runs on port 5433', kind: 'fact', source: 'user' }); // the collection exists
    qdrant.failWith = { status: 503, error: 'Service Unavailable: the server is restarting' };
    try {
      const note = await memory.remember({ content: 'The billing service allows 120 requests per minute', kind: 'fact', source: 'user' });
      expect(note.id).toBeGreaterThan(0);
      const recalled = await memory.recall('billing service requests', 3);
      expect(recalled).toMatchObject({ mode: 'text', vectorStore: true, unavailable: expect.stringMatching(/vector search failed: Qdrant at qdrant:\/\/127\.0\.0\.1:\d+\/outage: searching .* failed: Service Unavailable: the server is restarting \(HTTP 503\)/) });
      expect(recalled.notes.map((n) => n.id)).toEqual([note.id]); // by its words
    } finally {
      qdrant.failWith = undefined;
    }
    expect(qdrant.collections.get(name)!.points.size).toBe(1);
    expect(await memory.backfill()).toBe(1);
    expect(qdrant.collections.get(name)!.points.size).toBe(2);
    expect(await memory.backfill()).toBe(0);
    expect((await memory.recall('how many requests may billing take', 3)).mode).toBe('hybrid');
    await store.close();
  });

  it('takes the API key from ${env:…} in the URL or from the keychain, sends it as api-key, and says when it is missing or wrong', async () => {
    const guarded = await ScriptedQdrant.start({ apiKey: 'k-123-secret' });
    try {
      const keyed = parseConfig(`memory: { semantic: "qdrant://:\${env:QDRANT_KEY}@127.0.0.1:${guarded.port}/keyed" }`, { env: { REIN_HOME: tempDir(), QDRANT_KEY: 'k-123-secret' }, baseDir: tempDir() });
      const store = await openMemoryStore(keyed);
      const memory = new SemanticMemory(store, embedder());
      await memory.remember({ content: 'The cat is called Miso', kind: 'fact', source: 'user' });
      expect(guarded.collections.get(`keyed--${EMBED}--256`)!.points.size).toBe(1);
      expect(new Set(guarded.requests.map((r) => r.apiKey))).toEqual(new Set(['k-123-secret']));
      await store.close();

      const url = `qdrant://127.0.0.1:${guarded.port}/keyed`;
      const without = await openMemoryStore({ memory: { ...config.memory, path: path.join(tempDir(), 'rein.db'), semantic: url } });
      const blind = new SemanticMemory(without, embedder());
      expect(await blind.recall('cat', 1)).toMatchObject({ mode: 'text', vectorStore: true, unavailable: expect.stringContaining('HTTP 401: the API key is missing or wrong') });
      await without.close();

      const keychain = openKeychain();
      keychain.set(QDRANT_KEYCHAIN_SERVICE, `qdrant://127.0.0.1:${guarded.port}`, 'k-123-secret');
      try {
        const fromKeychain = await openMemoryStore({ memory: { ...config.memory, path: path.join(tempDir(), 'rein.db'), semantic: url } });
        expect((await new SemanticMemory(fromKeychain, embedder()).recall('cat', 1)).mode).toBe('hybrid');
        await fromKeychain.close();
      } finally {
        keychain.delete(QDRANT_KEYCHAIN_SERVICE, `qdrant://127.0.0.1:${guarded.port}`);
      }
    } finally {
      await guarded.close();
    }
  });

  it('offline mode lets the configured Qdrant host through (and nothing else)', async () => {
    const yaml = `memory: { semantic: "${qdrant.url}/offline", embed_model: ${EMBED} }\npolicy: { rules: [{ effect: allow, tool: remember }] }`;
    const cfg = testConfig(yaml, ollama.url);
    expect(cfg.policy.offline).toBe(true);
    const runtime = new Runtime({ config: cfg, trace: false, retry: { retries: 0 } }); // every default capability: policy guards egress
    await runtime.start();
    try {
      ollama.script([{ toolCalls: [{ name: 'remember', arguments: { content: 'The on-call schedule lives in PagerDuty' } }] }, { content: 'saved' }]);
      expect((await runtime.startRun('remember where the on-call schedule lives').result).status).toBe('completed');
      expect(qdrant.collections.get(`offline--${EMBED}--256`)!.points.size).toBe(1);
      const other = net.createServer((socket) => socket.end());
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const blocked = await new Promise<unknown>((resolve) => {
        const socket = net.connect({ port: (other.address() as net.AddressInfo).port, host: '127.0.0.1' });
        socket.once('connect', () => (socket.destroy(), resolve('connected')));
        socket.once('error', resolve);
      });
      expect(blocked).toBeInstanceOf(EgressBlockedError);
      await new Promise((resolve) => other.close(resolve));
    } finally {
      await runtime.close();
    }
  });
});
