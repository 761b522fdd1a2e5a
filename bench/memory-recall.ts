// Memory at scale: insert throughput and recall latency with 1k, 10k and 100k notes of 384-dim embeddings.
// Notes are synthetic but clustered by topic like real embeddings; the embedder is a local deterministic stand-in,
// so the numbers measure the store (SQLite, FTS5, sqlite-vec IVF partitions), not Ollama.
// Usage: node bench/memory-recall.ts   (BENCH_SIZES=1000,10000 to pick sizes, BENCH_QUERIES=200)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { SemanticMemory, SqliteMemoryStore, type Embedder } from '../src/runtime/memory/index.ts';

const DIMENSIONS = 384;
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
/** Queries checked against an exact full scan to report the index's recall@5. */
const EXACT_CHECKS = 20;
const TOPICS = 300;
const BATCH = 500;
const SYLLABLES = 'ka lo mi ne ru sa te vo bi da fe gu ho ji lu po'.split(' ');
const WORDS = Array.from({ length: 4096 }, (_, i) => [0, 1, 2].map((k) => SYLLABLES[(i >> (4 * k)) & 15]).join(''));

/** Pseudo-random but reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32;
}

const topicRandom = rng(42);
const TOPIC_VECTORS = Array.from({ length: TOPICS }, () => Array.from({ length: DIMENSIONS }, () => topicRandom() - 0.5));

/** A topic's direction plus noise, normalized — what texts about one subject look like to an embedding model. */
function vectorFor(topic: number, next: () => number): number[] {
  const v = TOPIC_VECTORS[topic]!.map((x) => x + (next() - 0.5) * 0.8);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function textFor(topic: number, next: () => number, i: number): string {
  const words = Array.from({ length: 12 }, (_, k) => WORDS[k < 6 ? (topic * 13 + Math.floor(next() * 12)) % WORDS.length : Math.floor(next() * WORDS.length)]);
  return `${words.join(' ')} note ${i}`;
}

/** The embedder answers for the query texts the bench made, so recall measures the store, not the network. */
const queryVectors = new Map<string, number[]>();
const embedder: Embedder = { model: 'bench-384', embed: async (texts) => texts.map((t) => queryVectors.get(t) ?? vectorFor(0, rng(t.length))) };

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const rows: string[][] = [];
for (const size of SIZES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-bench-'));
  const file = path.join(dir, 'rein.db');
  const store = new SqliteMemoryStore(file);
  const space = await store.ensureSpace(embedder.model, DIMENSIONS);
  const next = rng(size);
  const started = performance.now();
  for (let done = 0; done < size; done += BATCH) {
    const vectors: { noteId: number; vector: number[] }[] = [];
    for (let i = done; i < Math.min(size, done + BATCH); i++) {
      const topic = Math.floor(next() * TOPICS);
      const note = await store.addNote({ content: textFor(topic, next, i), kind: 'fact', source: 'bench' });
      vectors.push({ noteId: note.id, vector: vectorFor(topic, next) });
    }
    await store.setEmbeddings(space, vectors);
  }
  const insertSeconds = (performance.now() - started) / 1000;
  const memory = new SemanticMemory(store, embedder);
  const hybrid: number[] = [];
  const knn: number[] = [];
  const exact = new Database(file, { readonly: true });
  sqliteVec.load(exact);
  const scan = exact.prepare(`SELECT rowid AS id FROM note_vectors_${space.id} ORDER BY vec_distance_cosine(embedding, ?) LIMIT 5`);
  let found = 0;
  for (let q = 0; q < QUERIES; q++) {
    const topic = Math.floor(next() * TOPICS);
    const query = textFor(topic, next, -q).split(' ').slice(0, 4).join(' ');
    const vector = vectorFor(topic, next);
    queryVectors.set(query, vector);
    let t = performance.now();
    await memory.recall(query, 5);
    hybrid.push(performance.now() - t);
    t = performance.now();
    const hits = await store.searchVector(space, vector, 5);
    knn.push(performance.now() - t);
    if (q < EXACT_CHECKS) {
      const truth = new Set((scan.all(new Float32Array(vector)) as { id: number }[]).map((r) => Number(r.id)));
      found += hits.filter((h) => truth.has(h.id)).length / truth.size;
    }
  }
  exact.close();
  hybrid.sort((a, b) => a - b);
  knn.sort((a, b) => a - b);
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  rows.push([
    size.toLocaleString('en'),
    `${Math.round(size / insertSeconds).toLocaleString('en')}/s`,
    quantile(hybrid, 0.5).toFixed(2),
    quantile(hybrid, 0.95).toFixed(2),
    quantile(knn, 0.5).toFixed(2),
    quantile(knn, 0.95).toFixed(2),
    `${Math.round((found / Math.min(EXACT_CHECKS, QUERIES)) * 100)}%`,
  ]);
}

const header = ['notes', 'insert (note+vector)', 'recall p50 ms', 'recall p95 ms', 'knn p50 ms', 'knn p95 ms', 'knn recall@5'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
console.log(`${DIMENSIONS}-dim embeddings, ${QUERIES} queries per size; recall = FTS5 + vec0 KNN + rank fusion + note fetch; knn recall@5 vs an exact scan`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
