// KnowledgeStore on PostgreSQL: sources, files with status, passages with a weighted tsvector (text, headings, path;
// GIN), vectors in one pgvector table per embedding space (HNSW, cosine) when the server has pgvector.
import type pg from 'pg';
import { enableVectors, inTransaction, migrate, sharedPool, vectorLiteral, HNSW_MAX_DIMENSIONS, type Queryable, type SharedPool, DatabaseUnreachableError } from '../../postgres/index.ts';
import { tsQuery } from '../../memory/index.ts';
import { KnowledgeError } from '../errors.ts';
import type { ChunkHit, ChunkInput, KnowledgeFile, KnowledgeSource, KnowledgeStore, NewSource, Ranked, SearchFilter, VectorSpace } from '../types.ts';
import { toChunk, toFile, toSource, type ChunkRow, type FileRow, type SourceRow } from '../rows.ts';
import { PG_KNOWLEDGE_MIGRATIONS } from './migrations.ts';

const CHUNK_COLUMNS = 'c.id, c.file_id, c.seq, c.text, c.hash, c.headings, c.page_start, c.page_end, c.line_start, c.line_end';
/** Vector hits looked at per wanted passage when a filter drops some of them. */
const FILTERED_OVERFETCH = 8;

export class PgKnowledgeStore implements KnowledgeStore {
  readonly location: string;
  readonly notice: string | undefined;
  private readonly shared: SharedPool;
  private readonly pool: pg.Pool;
  private readonly vectorsOff: string | undefined;

  private constructor(shared: SharedPool, vectorsOff: string | undefined) {
    this.shared = shared;
    this.pool = shared.pool;
    this.location = shared.where;
    this.vectorsOff = vectorsOff;
    this.notice = vectorsOff && `documents on ${shared.where} are searched by text only: ${vectorsOff}`;
  }

  static async open(url: string): Promise<PgKnowledgeStore> {
    const shared = sharedPool(url);
    try {
      await migrate(shared.pool, 'knowledge', PG_KNOWLEDGE_MIGRATIONS, shared.where);
      return new PgKnowledgeStore(shared, await enableVectors(shared.pool));
    } catch (error) {
      await shared.release();
      if (error instanceof DatabaseUnreachableError) throw error; // says where and why already
      throw new KnowledgeError(`cannot open the knowledge database ${shared.where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  addSource = async (source: NewSource): Promise<KnowledgeSource> => {
    const createdAt = new Date().toISOString();
    const { rows } = await this.pool.query<SourceRow>(
      `INSERT INTO knowledge_sources (path, kind, include, exclude, conversation_id, origin, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (path, COALESCE(conversation_id, '')) DO UPDATE SET include = excluded.include, exclude = excluded.exclude, kind = excluded.kind
       RETURNING *`,
      [source.path, source.kind, JSON.stringify(source.include), JSON.stringify(source.exclude), source.conversationId ?? null, source.origin, createdAt],
    );
    return toSource(rows[0]!);
  };

  listSources = async () => (await this.pool.query<SourceRow>('SELECT * FROM knowledge_sources ORDER BY id')).rows.map(toSource);

  removeSource = async (id: number) => ((await this.pool.query('DELETE FROM knowledge_sources WHERE id = $1', [id])).rowCount ?? 0) > 0; // files, passages and vectors cascade

  listFiles = async (sourceId: number) =>
    (await this.pool.query<FileRow>(`SELECT f.*, (SELECT COUNT(*) FROM knowledge_chunks c WHERE c.file_id = f.id) AS chunks FROM knowledge_files f WHERE source_id = $1 ORDER BY path COLLATE "C"`, [sourceId])).rows.map(toFile);

  getFile = async (sourceId: number, path: string) => {
    const { rows } = await this.pool.query<FileRow>(
      'SELECT f.*, (SELECT COUNT(*) FROM knowledge_chunks c WHERE c.file_id = f.id) AS chunks FROM knowledge_files f WHERE source_id = $1 AND path = $2',
      [sourceId, path],
    );
    return rows[0] && toFile(rows[0]);
  };

  setFileState = async (sourceId: number, file: Pick<KnowledgeFile, 'path' | 'size' | 'mtimeMs' | 'state'> & { reason?: string }): Promise<KnowledgeFile> => {
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO knowledge_files (source_id, path, size, mtime_ms, state, reason, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (source_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, state = excluded.state, reason = excluded.reason, updated_at = excluded.updated_at
         RETURNING id`,
        [sourceId, file.path, file.size, file.mtimeMs, file.state, file.reason ?? null, new Date().toISOString()],
      );
      // A file that is no longer indexed has no passages to find.
      if (file.state === 'skipped' || file.state === 'failed') {
        await client.query('DELETE FROM knowledge_chunks WHERE file_id = $1', [rows[0]!.id]);
        await client.query('UPDATE knowledge_files SET hash = NULL WHERE id = $1', [rows[0]!.id]);
      }
    });
    return (await this.getFile(sourceId, file.path))!;
  };

  replaceChunks = (fileId: number, hash: string, chunks: ChunkInput[]) =>
    inTransaction(this.pool, async (client) => {
      const { rows: files } = await client.query<{ path: string }>('SELECT path FROM knowledge_files WHERE id = $1 FOR UPDATE', [fileId]);
      const path = files[0]!.path;
      const old = (await client.query<{ id: number; hash: string }>('SELECT id, hash FROM knowledge_chunks WHERE file_id = $1 ORDER BY id', [fileId])).rows;
      const reusable = new Map<string, number[]>();
      for (const row of old) reusable.set(row.hash, [...(reusable.get(row.hash) ?? []), row.id]);
      const added: number[] = [];
      let kept = 0;
      for (const [seq, chunk] of chunks.entries()) {
        const headings = JSON.stringify(chunk.headings);
        const place = [chunk.pageStart ?? null, chunk.pageEnd ?? null, chunk.lineStart ?? null, chunk.lineEnd ?? null];
        const reuse = reusable.get(chunk.hash)?.shift();
        if (reuse !== undefined) {
          await client.query('UPDATE knowledge_chunks SET seq = $1, headings = $2, heading_path = $3, page_start = $4, page_end = $5, line_start = $6, line_end = $7 WHERE id = $8', [
            seq, headings, chunk.headings.join(' / '), ...place, reuse,
          ]);
          kept++;
          continue;
        }
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO knowledge_chunks (file_id, seq, text, hash, headings, heading_path, file_path, page_start, page_end, line_start, line_end)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
          [fileId, seq, chunk.text, chunk.hash, headings, chunk.headings.join(' / '), path, ...place],
        );
        added.push(rows[0]!.id);
      }
      const stale = [...reusable.values()].flat();
      if (stale.length) await client.query('DELETE FROM knowledge_chunks WHERE id = ANY($1::int[])', [stale]);
      await client.query("UPDATE knowledge_files SET hash = $1, state = 'indexed', reason = NULL, updated_at = $2 WHERE id = $3", [hash, new Date().toISOString(), fileId]);
      return { added, kept };
    });

  removeFile = async (fileId: number) => {
    await this.pool.query('DELETE FROM knowledge_files WHERE id = $1', [fileId]);
  };

  getChunks = async (ids: number[]): Promise<ChunkHit[]> => {
    if (!ids.length) return [];
    const { rows } = await this.pool.query<ChunkRow>(
      `SELECT ${CHUNK_COLUMNS}, f.path, f.source_id FROM knowledge_chunks c JOIN knowledge_files f ON f.id = c.file_id WHERE c.id = ANY($1::int[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, { ...toChunk(row), path: row.path!, sourceId: row.source_id! }]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };

  fileChunks = async (fileId: number) => (await this.pool.query<ChunkRow>(`SELECT ${CHUNK_COLUMNS} FROM knowledge_chunks c WHERE file_id = $1 ORDER BY seq`, [fileId])).rows.map(toChunk);

  searchText = async (query: string, filter: SearchFilter, limit: number): Promise<Ranked[]> => {
    const match = tsQuery(query);
    if (!match) return [];
    const { where, params } = filterSql(filter, 3);
    const join = where ? ' JOIN knowledge_files f ON f.id = c.file_id' : '';
    const { rows } = await this.pool.query<{ id: number }>(
      `SELECT c.id FROM knowledge_chunks c${join}, to_tsquery('english', $1) q WHERE c.words @@ q${where} ORDER BY ts_rank_cd(c.words, q) DESC, c.id LIMIT $2`,
      [match, limit, ...params],
    );
    return rows.map((row, rank) => ({ id: row.id, rank }));
  };

  ensureSpace = async (model: string, dimensions: number): Promise<VectorSpace> => {
    if (this.vectorsOff) throw new Error(`vector search is off: ${this.vectorsOff}`);
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rein.space.knowledge.${model}.${dimensions}`]);
      await client.query('INSERT INTO knowledge_spaces (model, dimensions) VALUES ($1, $2) ON CONFLICT DO NOTHING', [model, dimensions]);
      const { rows } = await client.query<{ id: number }>('SELECT id FROM knowledge_spaces WHERE model = $1 AND dimensions = $2', [model, dimensions]);
      const space = { id: rows[0]!.id, model, dimensions };
      await createTable(client, space);
      return space;
    });
  };

  setVectors = async (space: VectorSpace, vectors: { chunkId: number; vector: number[] }[]) => {
    for (const { chunkId, vector } of vectors) {
      if (vector.length !== space.dimensions) throw new Error(`embedding of passage ${chunkId} has ${vector.length} dimensions, ${space.model} has ${space.dimensions}`);
    }
    if (!vectors.length) return;
    // A passage whose file changed or went away while the model was embedding gets no vector.
    await this.pool.query(
      `INSERT INTO ${table(space.id)} (chunk_id, embedding)
       SELECT v.id, v.embedding::vector FROM unnest($1::int[], $2::text[]) AS v(id, embedding) WHERE EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.id = v.id)
       ON CONFLICT (chunk_id) DO UPDATE SET embedding = excluded.embedding`,
      [vectors.map((v) => v.chunkId), vectors.map((v) => vectorLiteral(v.vector))],
    );
  };

  chunksWithoutVector = async (space: VectorSpace, limit: number) =>
    (await this.pool.query<ChunkRow>(
      `SELECT ${CHUNK_COLUMNS} FROM knowledge_chunks c WHERE NOT EXISTS (SELECT 1 FROM ${table(space.id)} v WHERE v.chunk_id = c.id) ORDER BY c.id LIMIT $1`,
      [limit],
    )).rows.map(toChunk);

  searchVector = async (space: VectorSpace, vector: number[], filter: SearchFilter, limit: number): Promise<Ranked[]> => {
    const filtered = Boolean(filter.sourceIds || filter.file);
    const k = filtered ? limit * FILTERED_OVERFETCH : limit;
    const { where, params } = filterSql(filter, 3);
    const join = where ? ' JOIN knowledge_chunks c ON c.id = n.id JOIN knowledge_files f ON f.id = c.file_id' : '';
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(Math.min(1000, Math.max(40, k)))]);
      // The nearest k first (the index), then the filter, as SQLite does.
      const { rows } = await client.query<{ id: number; distance: number }>(
        `SELECT n.id, n.distance FROM (SELECT chunk_id AS id, embedding <=> $1::vector AS distance FROM ${table(space.id)} ORDER BY embedding <=> $1::vector LIMIT $2) n${join}
         WHERE true${where} ORDER BY n.distance`,
        [vectorLiteral(vector), k, ...params],
      );
      return rows.slice(0, limit).map((row, rank) => ({ id: row.id, rank, distance: Number(row.distance) }));
    });
  };

  counts = async () => {
    const { rows } = await this.pool.query<{ chunks: string; files: string }>(
      "SELECT (SELECT COUNT(*) FROM knowledge_chunks) AS chunks, (SELECT COUNT(*) FROM knowledge_files WHERE state = 'indexed') AS files",
    );
    return { chunks: Number(rows[0]!.chunks), files: Number(rows[0]!.files) };
  };

  spaces = async (): Promise<VectorSpace[]> =>
    this.vectorsOff ? [] : (await this.pool.query<VectorSpace>('SELECT id, model, dimensions FROM knowledge_spaces ORDER BY id')).rows;

  vectorsOf = async (space: VectorSpace, afterChunkId: number, limit: number) =>
    (await this.pool.query<{ chunk_id: number; embedding: string }>(`SELECT chunk_id, embedding::text AS embedding FROM ${table(space.id)} WHERE chunk_id > $1 ORDER BY chunk_id LIMIT $2`, [afterChunkId, limit])).rows.map(
      (row) => ({ chunkId: row.chunk_id, vector: JSON.parse(row.embedding) as number[] }),
    );

  async close(): Promise<void> {
    await this.shared.release();
  }
}

function table(spaceId: number): string {
  return `knowledge_vectors_${Math.trunc(spaceId)}`;
}

async function createTable(db: Queryable, space: VectorSpace): Promise<void> {
  const name = table(space.id);
  await db.query(`CREATE TABLE IF NOT EXISTS ${name} (chunk_id INTEGER PRIMARY KEY REFERENCES knowledge_chunks(id) ON DELETE CASCADE, embedding vector(${Math.trunc(space.dimensions)}) NOT NULL)`);
  if (space.dimensions <= HNSW_MAX_DIMENSIONS) await db.query(`CREATE INDEX IF NOT EXISTS ${name}_hnsw ON ${name} USING hnsw (embedding vector_cosine_ops)`);
}

/** The filter as SQL on `f` (knowledge_files), with parameters numbered from `first`. */
function filterSql(filter: SearchFilter, first: number): { where: string; params: unknown[] } {
  let where = '';
  const params: unknown[] = [];
  if (filter.sourceIds) {
    params.push(filter.sourceIds);
    where += ` AND f.source_id = ANY($${first + params.length - 1}::int[])`;
  }
  if (filter.file) {
    params.push(`%${filter.file.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where += ` AND lower(f.path) LIKE $${first + params.length - 1}`;
  }
  return { where, params };
}
