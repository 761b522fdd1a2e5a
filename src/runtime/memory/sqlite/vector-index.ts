// Vectors of one embedding space in a sqlite-vec vec0 table, partitioned like an inverted file (IVF): once a space
// holds TRAIN_AT vectors, k-means centroids are trained and each vector lives in the partition of its nearest
// centroid; a search scans only the partitions of the query's PROBES nearest centroids. Small spaces are exact.
import type { Db } from './open-database.ts';

const TRAIN_AT = 4096;
/** Retrain (and repartition) when a space has grown this many times since the last training. */
const RETRAIN_GROWTH = 8;
const CLUSTERS = 64;
const KMEANS_ROUNDS = 8;
const SAMPLE = 4096;

/** Where one index keeps its rows: memory's notes and knowledge's passages use the same code with their own tables. */
export interface VectorTableNames {
  /** Prefix of the per-space vec0 table (`note_vectors_` → note_vectors_<space id>). */
  vectors: string;
  /** (space_id, <item>) rows of the items that have a vector in a space: counted for (re)training. */
  embedded: string;
  /** The spaces table, with its trained_count column. */
  spaces: string;
  /** (space_id, cluster, centroid) rows. */
  centroids: string;
  /** Partitions a search scans. */
  probes: number;
}

export const NOTE_VECTORS: VectorTableNames = { vectors: 'note_vectors_', embedded: 'note_embeddings', spaces: 'embedding_spaces', centroids: 'vector_centroids', probes: 6 };

interface Space {
  id: number;
  dimensions: number;
}

export class VectorIndex {
  private readonly db: Db;
  private readonly names: VectorTableNames;
  private readonly centroids = new Map<number, Float32Array[]>();

  constructor(db: Db, names: VectorTableNames = NOTE_VECTORS) {
    this.db = db;
    this.names = names;
  }

  table(spaceId: number): string {
    return `${this.names.vectors}${Math.trunc(spaceId)}`;
  }

  create(space: Space): void {
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.table(space.id)} USING vec0(cluster INTEGER PARTITION KEY, embedding float[${Math.trunc(space.dimensions)}] distance_metric=cosine)`);
  }

  /** Adds or replaces vectors (already counted in the embedded table); call inside a transaction. May (re)train the partitions. */
  put(space: Space, vectors: { id: number; vector: number[] }[]): void {
    const remove = this.db.prepare(`DELETE FROM ${this.table(space.id)} WHERE rowid = ?`);
    const insert = this.db.prepare(`INSERT INTO ${this.table(space.id)} (rowid, cluster, embedding) VALUES (?, ?, ?)`);
    const centroids = this.centroidsOf(space.id);
    for (const { id, vector } of vectors) {
      const v = new Float32Array(vector);
      remove.run(BigInt(id));
      insert.run(BigInt(id), BigInt(nearest(centroids, v, 1)[0] ?? 0), v);
    }
    const { count, trained } = this.db
      .prepare(`SELECT (SELECT COUNT(*) FROM ${this.names.embedded} WHERE space_id = ?) AS count, trained_count AS trained FROM ${this.names.spaces} WHERE id = ?`)
      .get(space.id, space.id) as { count: number; trained: number };
    if (count >= TRAIN_AT && (trained === 0 || count >= trained * RETRAIN_GROWTH)) this.train(space, count);
  }

  delete(spaceId: number, id: number): void {
    this.db.prepare(`DELETE FROM ${this.table(spaceId)} WHERE rowid = ?`).run(BigInt(id));
  }

  search(space: Space, vector: number[], limit: number): { id: number; rank: number; distance: number }[] {
    const query = new Float32Array(vector);
    const probes = nearest(this.centroidsOf(space.id), query, this.names.probes);
    const partitions = probes.length ? ` AND cluster IN (${probes.join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT rowid AS id, distance FROM ${this.table(space.id)} WHERE embedding MATCH ? AND k = ?${partitions} ORDER BY distance`)
      .all(query, limit) as { id: number; distance: number }[];
    return rows.map((row, rank) => ({ id: Number(row.id), rank, distance: row.distance }));
  }

  /** Stored vectors of a space in id order, a page at a time. */
  rows(spaceId: number, afterId: number, limit: number): { id: number; vector: number[] }[] {
    const rows = this.db
      .prepare(`SELECT rowid AS id, embedding FROM ${this.table(spaceId)} WHERE rowid > ? ORDER BY rowid LIMIT ?`)
      .all(BigInt(afterId), limit) as { id: number | bigint; embedding: Buffer }[];
    return rows.map((r) => ({ id: Number(r.id), vector: [...new Float32Array(r.embedding.buffer.slice(r.embedding.byteOffset, r.embedding.byteOffset + r.embedding.byteLength))] }));
  }

  /** k-means on a sample, then every vector moves to the partition of its nearest centroid. */
  private train(space: Space, count: number): void {
    const table = this.table(space.id);
    const rows = (this.db.prepare(`SELECT rowid AS id, embedding FROM ${table}`).all() as { id: number; embedding: Buffer }[]).map((r) => {
      const raw = new Float32Array(r.embedding.buffer.slice(r.embedding.byteOffset, r.embedding.byteOffset + r.embedding.byteLength));
      return { id: r.id, raw, unit: normalized(raw) };
    });
    const step = Math.max(1, Math.floor(rows.length / SAMPLE));
    const centroids = kmeans(rows.filter((_, i) => i % step === 0).map((r) => r.unit), CLUSTERS);
    // vec0 cannot update a partition key: the vectors are written again into their new partitions.
    this.db.exec(`DELETE FROM ${table}`);
    const insert = this.db.prepare(`INSERT INTO ${table} (rowid, cluster, embedding) VALUES (?, ?, ?)`);
    for (const row of rows) insert.run(BigInt(row.id), BigInt(nearest(centroids, row.unit, 1)[0]!), row.raw);
    this.db.prepare(`DELETE FROM ${this.names.centroids} WHERE space_id = ?`).run(space.id);
    const save = this.db.prepare(`INSERT INTO ${this.names.centroids} (space_id, cluster, centroid) VALUES (?, ?, ?)`);
    centroids.forEach((c, i) => save.run(space.id, i, Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
    this.db.prepare(`UPDATE ${this.names.spaces} SET trained_count = ? WHERE id = ?`).run(count, space.id);
    this.centroids.set(space.id, centroids);
  }

  private centroidsOf(spaceId: number): Float32Array[] {
    let centroids = this.centroids.get(spaceId);
    if (!centroids) {
      const rows = this.db.prepare(`SELECT centroid FROM ${this.names.centroids} WHERE space_id = ? ORDER BY cluster`).all(spaceId) as { centroid: Buffer }[];
      centroids = rows.map((r) => new Float32Array(r.centroid.buffer.slice(r.centroid.byteOffset, r.centroid.byteOffset + r.centroid.byteLength)));
      this.centroids.set(spaceId, centroids);
    }
    return centroids;
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function normalized(v: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / norm);
}

/** Indexes of the `n` centroids most similar (cosine) to `v`. */
export function nearest(centroids: Float32Array[], v: Float32Array, n: number): number[] {
  if (!centroids.length) return [];
  const q = normalized(v);
  return centroids
    .map((c, i) => ({ i, score: dot(c, q) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, n)
    .map((c) => c.i);
}

/** Spherical k-means: deterministic start (evenly spaced samples), a fixed number of rounds. */
export function kmeans(sample: Float32Array[], k: number): Float32Array[] {
  const count = Math.min(k, sample.length);
  let centroids = Array.from({ length: count }, (_, i) => sample[Math.floor((i * sample.length) / count)]!);
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    const sums = centroids.map((c) => new Float32Array(c.length));
    for (const v of sample) {
      const sum = sums[nearest(centroids, v, 1)[0]!]!;
      for (let i = 0; i < v.length; i++) sum[i]! += v[i]!;
    }
    centroids = sums.map((sum, i) => (dot(sum, sum) > 0 ? normalized(sum) : centroids[i]!));
  }
  return centroids;
}
