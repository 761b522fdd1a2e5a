// Memory at scale: insert throughput and recall latency with 1k, 10k and 100k notes of 384-dim embeddings.
// The embedder is a local deterministic stand-in so the numbers measure the store (SQLite, FTS5, sqlite-vec), not Ollama.
// Usage: node bench/memory-recall.ts   (BENCH_SIZES=1000,10000 to pick sizes, BENCH_QUERIES=200)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SemanticMemory, SqliteMemoryStore, type Embedder } from '../src/runtime/memory/index.ts';

const DIMENSIONS = 384;
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const BATCH = 500;
/** A vocabulary of 4,096 made-up words, so full-text matches are as selective as in real notes. */
const SYLLABLES = 'ka lo mi ne ru sa te vo bi da fe gu ho ji lu po'.split(' ');
const WORDS = Array.from({ length: 4096 }, (_, i) => [0, 1, 2].map((k) => SYLLABLES[(i >> (4 * k)) & 15]).join(''));

/** Pseudo-random but reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32;
}

function vectorOf(text: string): number[] {
  let seed = 7;
  for (const char of text) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619);
  const next = rng(seed);
  const v = Array.from({ length: DIMENSIONS }, () => next() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const embedder: Embedder = { model: 'bench-384', embed: async (texts) => texts.map(vectorOf) };

function sentence(next: () => number, i: number): string {
  return `${Array.from({ length: 12 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ')} note ${i}`;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const rows: string[][] = [];
for (const size of SIZES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-bench-'));
  const store = new SqliteMemoryStore(path.join(dir, 'rein.db'));
  const space = await store.ensureSpace(embedder.model, DIMENSIONS);
  const next = rng(size);
  const started = performance.now();
  for (let done = 0; done < size; done += BATCH) {
    const vectors: { noteId: number; vector: number[] }[] = [];
    for (let i = done; i < Math.min(size, done + BATCH); i++) {
      const note = await store.addNote({ content: sentence(next, i), kind: 'fact', source: 'bench' });
      vectors.push({ noteId: note.id, vector: vectorOf(note.content) });
    }
    await store.setEmbeddings(space, vectors);
  }
  const insertSeconds = (performance.now() - started) / 1000;
  const memory = new SemanticMemory(store, embedder);
  const hybrid: number[] = [];
  const vectorOnly: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const query = sentence(next, q).split(' ').slice(0, 4).join(' ');
    const vector = vectorOf(query);
    let t = performance.now();
    await memory.recall(query, 5);
    hybrid.push(performance.now() - t);
    t = performance.now();
    await store.searchVector(space, vector, 5);
    vectorOnly.push(performance.now() - t);
  }
  hybrid.sort((a, b) => a - b);
  vectorOnly.sort((a, b) => a - b);
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  rows.push([
    size.toLocaleString('en'),
    `${Math.round(size / insertSeconds).toLocaleString('en')}/s`,
    quantile(hybrid, 0.5).toFixed(2),
    quantile(hybrid, 0.95).toFixed(2),
    quantile(vectorOnly, 0.5).toFixed(2),
    quantile(vectorOnly, 0.95).toFixed(2),
  ]);
}

const header = ['notes', 'insert (note+vector)', 'recall p50 ms', 'recall p95 ms', 'knn p50 ms', 'knn p95 ms'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
console.log(`${DIMENSIONS}-dim embeddings, ${QUERIES} queries per size; recall = FTS5 + vec0 KNN + rank fusion + note fetch`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
