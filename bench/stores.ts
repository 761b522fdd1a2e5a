// SQLite vs PostgreSQL, one run on this machine: episodic append throughput (events/s, each awaited as a run's are),
// note writes (note + vector), and recall latency (full-text + vector + fusion + fetch) at 100k notes; then the
// team's job queue: jobs/s claimed and finished by 1, 2 and 4 workers (FOR UPDATE SKIP LOCKED).
// PostgreSQL: a temporary cluster of the installed binaries (fsync on; with pgvector if installed), on loopback.
// Usage: node bench/stores.ts   (BENCH_NOTES=100000, BENCH_QUERIES=200, BENCH_JOBS=2000)
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '../src/common/index.ts';
import { SemanticMemory, SqliteMemoryStore, type Embedder, type MemoryStore, type Note } from '../src/runtime/memory/index.ts';
import { PgMemoryStore } from '../src/runtime/memory/postgres/pg-memory-store.ts';
import { JobQueue } from '../src/worker/jobs.ts';
import { startTestPostgres } from '../test/support/postgres.ts';

const NOTES = Number(process.env.BENCH_NOTES ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const EVENTS = 3000;
const DIMS = 384;
const TOPICS = 300;
const WORDS = Array.from({ length: 4096 }, (_, i) => `w${i.toString(36)}`);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32;
}
const topicRandom = rng(42);
const TOPIC_VECTORS = Array.from({ length: TOPICS }, () => Array.from({ length: DIMS }, () => topicRandom() - 0.5));
const vectorFor = (topic: number, next: () => number) => {
  const v = TOPIC_VECTORS[topic]!.map((x) => x + (next() - 0.5) * 0.8);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const textFor = (topic: number, next: () => number, i: number) =>
  `${Array.from({ length: 12 }, (_, k) => WORDS[k < 6 ? (topic * 13 + Math.floor(next() * 12)) % WORDS.length : Math.floor(next() * WORDS.length)]).join(' ')} note ${i}`;

/** The query's topic decides its vector: the bench measures the store, not a model. */
const embedder: Embedder = {
  model: 'bench-embed',
  embed: async (texts) => texts.map((t) => vectorFor(Number(/topic(\d+)/.exec(t)?.[1] ?? 0) % TOPICS, rng(t.length))),
};

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function appendRate(store: MemoryStore): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const runId = `run_${Math.floor(i / 30)}`;
    const seq = (i % 30) + 1;
    const time = new Date(Date.UTC(2026, 0, 1) + i).toISOString();
    const event: RunEvent = seq === 1
      ? { type: 'run.started', runId, seq, time, goal: 'bench', model: 'm', provider: 'ollama', tools: [] }
      : { type: 'model.delta', runId, seq, time, step: 1, text: 'some streamed words of the answer' };
    await store.appendEvent(event);
  }
  return EVENTS / ((performance.now() - started) / 1000);
}

async function noteRate(store: MemoryStore, count: number): Promise<number> {
  const space = await store.ensureSpace(embedder.model, DIMS);
  const next = rng(7);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const note = await store.addNote({ content: textFor(i % TOPICS, next, i), kind: 'fact', source: 'bench' });
    await store.setEmbeddings(space, [{ noteId: note.id, vector: vectorFor(i % TOPICS, next) }]);
  }
  return count / ((performance.now() - started) / 1000);
}

/** Fills the store up to NOTES notes (in bulk: the fill is not what is measured). */
async function fill(store: MemoryStore, from: number): Promise<void> {
  const space = await store.ensureSpace(embedder.model, DIMS);
  const next = rng(99);
  const now = new Date().toISOString();
  for (let start = from; start < NOTES; start += 1000) {
    const notes: Note[] = [];
    for (let i = start; i < Math.min(NOTES, start + 1000); i++) notes.push({ id: i + 1, content: textFor(i % TOPICS, next, i), kind: 'fact', source: 'bench', createdAt: now });
    await store.importNotes(notes);
    await store.setEmbeddings(space, notes.map((n, j) => ({ noteId: n.id, vector: vectorFor((start + j) % TOPICS, next) })));
  }
}

async function recallTimes(store: MemoryStore): Promise<number[]> {
  const memory = new SemanticMemory(store, embedder);
  const next = rng(5);
  const times: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const topic = q % TOPICS;
    const query = `${textFor(topic, next, q).split(' ').slice(0, 4).join(' ')} topic${topic}`;
    const started = performance.now();
    await memory.recall(query, 5);
    times.push(performance.now() - started);
  }
  return times;
}

async function benchStore(name: string, store: MemoryStore, rows: string[][]): Promise<void> {
  const append = await appendRate(store);
  const writes = await noteRate(store, 1000);
  await fill(store, 1000);
  const times = await recallTimes(store);
  rows.push([name, `${Math.round(append)}/s`, `${Math.round(writes)}/s`, ms(percentile(times, 50)), ms(percentile(times, 95))]);
  console.log(rows.at(-1)!.join(' | '));
}

async function claimRate(url: string, workers: number): Promise<number> {
  const queue = await JobQueue.open(url);
  await queue.close();
  const setup = await JobQueue.open(url);
  for (let i = 0; i < JOBS; i++) await setup.enqueue(`job ${i}`);
  // Each worker its own pool, as on its own machine.
  const queues = await Promise.all(Array.from({ length: workers }, (_, w) => JobQueue.open(`${url}${url.includes('?') ? '&' : '?'}application_name=bench_worker_${workers}_${w}`)));
  const started = performance.now();
  let done = 0;
  await Promise.all(queues.map(async (q, w) => {
    for (;;) {
      const job = await q.claim(`bench-${w}`, 30_000);
      if (!job) return;
      await q.finish(job.id, `bench-${w}`, { status: 'finished', result: 'completed' });
      done++;
    }
  }));
  const rate = done / ((performance.now() - started) / 1000);
  await Promise.all([...queues, setup].map((q) => q.close()));
  return rate;
}

const server = await startTestPostgres({ durable: true }); // fsync on, as a real server
try {
  console.log(`stores bench: ${NOTES.toLocaleString()} notes × ${DIMS} dims, ${QUERIES} recalls, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
  const rows: string[][] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-bench-stores-'));
  const sqlite = new SqliteMemoryStore(path.join(dir, 'rein.db'));
  await benchStore('SQLite (WAL, FTS5, sqlite-vec IVF)', sqlite, rows);
  await sqlite.close();
  const pg = await PgMemoryStore.open(await server.createDatabase());
  if (pg.notice) console.log(pg.notice);
  await benchStore(`PostgreSQL 15 (pool, tsvector GIN, ${pg.notice ? 'no vectors' : 'pgvector HNSW'})`, pg, rows);
  await pg.close();
  console.log('\n| store | events appended | note + vector writes | recall p50 | recall p95 |\n| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\njobs claimed and finished (${JOBS} jobs):`);
  for (const workers of [1, 2, 4]) console.log(`${workers} worker${workers > 1 ? 's' : ''}: ${Math.round(await claimRate(await server.createDatabase(), workers))} jobs/s`);
  fs.rmSync(dir, { recursive: true, force: true });
} finally {
  await server.stop();
}
