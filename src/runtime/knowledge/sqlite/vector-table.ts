// Passage vectors of one embedding space in a sqlite-vec vec0 table, partitioned like memory's index (an inverted
// file): from TRAIN_AT vectors on, k-means centroids (memory's helpers) split the table and a search scans only the
// partitions nearest to the query. Smaller spaces are searched exactly.
import { kmeans, nearestCentroids, normalized, type Db } from '../../memory/index.ts';
import type { Ranked, VectorSpace } from '../types.ts';

const TRAIN_AT = 4096;
const RETRAIN_GROWTH = 8;
const CLUSTERS = 64;
const PROBES = 8;
const SAMPLE = 4096;

export const vecTable = (spaceId: number) => `knowledge_vectors_${Math.trunc(spaceId)}`;

export class VectorTables {
  private readonly db: Db;
  private readonly centroids = new Map<number, Float32Array[]>();

  constructor(db: Db) {
    this.db = db;
  }

  create(space: VectorSpace): void {
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${vecTable(space.id)} USING vec0(cluster INTEGER PARTITION KEY, embedding float[${Math.trunc(space.dimensions)}] distance_metric=cosine)`);
  }

  /** Adds or replaces vectors; call inside a transaction. May (re)train the partitions. */
  put(space: VectorSpace, vectors: { chunkId: number; vector: number[] }[]): void {
    const remove = this.db.prepare(`DELETE FROM ${vecTable(space.id)} WHERE rowid = ?`);
    const insert = this.db.prepare(`INSERT INTO ${vecTable(space.id)} (rowid, cluster, embedding) VALUES (?, ?, ?)`);
    const centroids = this.centroidsOf(space.id);
    for (const { chunkId, vector } of vectors) {
      const v = new Float32Array(vector);
      remove.run(BigInt(chunkId));
      insert.run(BigInt(chunkId), BigInt(nearestCentroids(centroids, v, 1)[0] ?? 0), v);
    }
    const { count, trained } = this.db
      .prepare('SELECT (SELECT COUNT(*) FROM knowledge_embedded WHERE space_id = ?) AS count, trained_count AS trained FROM knowledge_spaces WHERE id = ?')
      .get(space.id, space.id) as { count: number; trained: number };
    if (count >= TRAIN_AT && (trained === 0 || count >= trained * RETRAIN_GROWTH)) this.train(space, count);
  }

  delete(spaceId: number, chunkId: number): void {
    this.db.prepare(`DELETE FROM ${vecTable(spaceId)} WHERE rowid = ?`).run(BigInt(chunkId));
  }

  search(space: VectorSpace, vector: number[], k: number): Ranked[] {
    const query = new Float32Array(vector);
    const probes = nearestCentroids(this.centroidsOf(space.id), query, PROBES);
    const partitions = probes.length ? ` AND cluster IN (${probes.join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT rowid AS id, distance FROM ${vecTable(space.id)} WHERE embedding MATCH ? AND k = ?${partitions} ORDER BY distance`)
      .all(query, k) as { id: number; distance: number }[];
    return rows.map((row, rank) => ({ id: Number(row.id), rank, distance: row.distance }));
  }

  private train(space: VectorSpace, count: number): void {
    const table = vecTable(space.id);
    const rows = (this.db.prepare(`SELECT rowid AS id, embedding FROM ${table}`).all() as { id: number; embedding: Buffer }[]).map((r) => {
      const raw = new Float32Array(r.embedding.buffer.slice(r.embedding.byteOffset, r.embedding.byteOffset + r.embedding.byteLength));
      return { id: r.id, raw, unit: normalized(raw) };
    });
    const step = Math.max(1, Math.floor(rows.length / SAMPLE));
    const centroids = kmeans(rows.filter((_, i) => i % step === 0).map((r) => r.unit), CLUSTERS);
    this.db.exec(`DELETE FROM ${table}`);
    const insert = this.db.prepare(`INSERT INTO ${table} (rowid, cluster, embedding) VALUES (?, ?, ?)`);
    for (const row of rows) insert.run(BigInt(row.id), BigInt(nearestCentroids(centroids, row.unit, 1)[0]!), row.raw);
    this.db.prepare('DELETE FROM knowledge_centroids WHERE space_id = ?').run(space.id);
    const save = this.db.prepare('INSERT INTO knowledge_centroids (space_id, cluster, centroid) VALUES (?, ?, ?)');
    centroids.forEach((c, i) => save.run(space.id, i, Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
    this.db.prepare('UPDATE knowledge_spaces SET trained_count = ? WHERE id = ?').run(count, space.id);
    this.centroids.set(space.id, centroids);
  }

  private centroidsOf(spaceId: number): Float32Array[] {
    let centroids = this.centroids.get(spaceId);
    if (!centroids) {
      const rows = this.db.prepare('SELECT centroid FROM knowledge_centroids WHERE space_id = ? ORDER BY cluster').all(spaceId) as { centroid: Buffer }[];
      centroids = rows.map((r) => new Float32Array(r.centroid.buffer.slice(r.centroid.byteOffset, r.centroid.byteOffset + r.centroid.byteLength)));
      this.centroids.set(spaceId, centroids);
    }
    return centroids;
  }
}
