// Knowledge at scale: ingestion throughput (scan → parse → chunk → SQLite FTS5 + sqlite-vec) and search latency
// (hybrid: bm25 + exact cosine kNN, fused) at about 1k and 50k passages. Files are generated Markdown; the embedder
// is a local deterministic stand-in (384-dim hashed bag of words), so the numbers measure Rein, not Ollama.
// Usage: node bench/knowledge.ts   (BENCH_CHUNKS=1000,50000 to pick sizes, BENCH_QUERIES=200)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/runtime/config/index.ts';
import { KnowledgeBase, SqliteKnowledgeStore } from '../src/runtime/knowledge/index.ts';
import type { Embedder } from '../src/runtime/memory/index.ts';

const DIMENSIONS = 384;
const SIZES = (process.env.BENCH_CHUNKS ?? '1000,50000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const SECTIONS_PER_FILE = 20;
const SYLLABLES = 'ka lo mi ne ru sa te vo bi da fe gu ho ji lu po'.split(' ');
const WORDS = Array.from({ length: 4096 }, (_, i) => [0, 1, 2].map((k) => SYLLABLES[(i >> (4 * k)) & 15]).join(''));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32;
}

function hash(word: string): number {
  let h = 2166136261;
  for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const embedder: Embedder = {
  model: 'bench-384',
  embed: async (texts) =>
    texts.map((text) => {
      const v = new Array<number>(DIMENSIONS).fill(0);
      for (const word of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) v[hash(word) % DIMENSIONS]! += 1;
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    }),
};

/** A file of SECTIONS_PER_FILE sections of ~600 characters: one passage each at the default chunk size. */
function markdownFile(index: number, next: () => number): string {
  const sections = Array.from({ length: SECTIONS_PER_FILE }, (_, s) => {
    const topic = (index * 7 + s) % 500;
    const body = Array.from({ length: 90 }, (_, k) => WORDS[k < 30 ? (topic * 13 + Math.floor(next() * 20)) % WORDS.length : Math.floor(next() * WORDS.length)]).join(' ');
    return `## Section ${s} topic ${topic}\n\n${body}.\n`;
  });
  return `# Document ${index}\n\n${sections.join('\n')}`;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const rows: string[][] = [];

for (const target of SIZES) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-bench-knowledge-'));
  const docs = path.join(root, 'docs');
  fs.mkdirSync(docs);
  const files = Math.ceil(target / SECTIONS_PER_FILE);
  const next = rng(target);
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const text = markdownFile(i, next);
    bytes += text.length;
    fs.writeFileSync(path.join(docs, `doc-${i}.md`), text);
  }
  const config = parseConfig('', { env: { REIN_HOME: root }, baseDir: root });
  const base = new KnowledgeBase(new SqliteKnowledgeStore(path.join(root, 'rein.db')), config.knowledge, embedder);
  const source = await base.addSource({ path: docs }, 'user', false);
  const started = performance.now();
  const [progress] = await base.ingest(source.id);
  const ingestS = (performance.now() - started) / 1000;
  const { chunks } = await base.store.counts();

  const again = performance.now();
  await base.ingest(source.id);
  const unchangedS = (performance.now() - again) / 1000;

  const times: number[] = [];
  const qnext = rng(7);
  for (let q = 0; q < QUERIES; q++) {
    const topic = Math.floor(qnext() * 500);
    const query = Array.from({ length: 4 }, () => WORDS[(topic * 13 + Math.floor(qnext() * 20)) % WORDS.length]).join(' ');
    const t = performance.now();
    const result = await base.search(query, { all: true }, {}, 6);
    times.push(performance.now() - t);
    if (result.mode !== 'hybrid') throw new Error('bench expected hybrid search');
  }
  times.sort((a, b) => a - b);
  rows.push([
    String(chunks),
    String(progress!.indexed),
    `${(bytes / 1024 / 1024).toFixed(1)} MB`,
    `${ingestS.toFixed(1)} s`,
    `${Math.round(chunks / ingestS)}`,
    `${unchangedS.toFixed(2)} s`,
    quantile(times, 0.5).toFixed(1),
    quantile(times, 0.95).toFixed(1),
  ]);
  await base.close();
  await base.store.close();
  fs.rmSync(root, { recursive: true, force: true });
}

console.log('| passages | files | text | ingest | passages/s | unchanged re-scan | search p50 ms | search p95 ms |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
