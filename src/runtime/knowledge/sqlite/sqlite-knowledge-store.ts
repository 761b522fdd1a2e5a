// KnowledgeStore in memory's SQLite file: sources, files with status, passages in FTS5, vectors in one sqlite-vec
// vec0 table per embedding space (exact cosine search).
import { VectorIndex, ftsQuery, openDatabase, type Db, type VectorTableNames } from '../../memory/index.ts';
import type { ChunkHit, ChunkInput, KnowledgeFile, KnowledgeSource, KnowledgeStore, NewSource, Ranked, SearchFilter, VectorSpace } from '../types.ts';
import { toChunk, toFile, toSource, type ChunkRow, type FileRow, type SourceRow } from '../rows.ts';
import { migrateKnowledge } from './migrations.ts';

/** Passage vectors use memory's partitioned index, in knowledge's own tables. */
const KNOWLEDGE_VECTORS: VectorTableNames = { vectors: 'knowledge_vectors_', embedded: 'knowledge_embedded', spaces: 'knowledge_spaces', centroids: 'knowledge_centroids', probes: 8 };

/** Vector hits looked at per wanted passage when a filter drops some of them. */
const FILTERED_OVERFETCH = 8;

export class SqliteKnowledgeStore implements KnowledgeStore {
  readonly location: string;
  private readonly db: Db;
  private readonly vectors: VectorIndex;

  constructor(file: string) {
    this.location = file;
    this.db = openDatabase(file);
    this.vectors = new VectorIndex(this.db, KNOWLEDGE_VECTORS);
    try {
      migrateKnowledge(this.db, file);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  addSource = async (source: NewSource): Promise<KnowledgeSource> => {
    const createdAt = new Date().toISOString();
    const existing = this.db
      .prepare("SELECT * FROM knowledge_sources WHERE path = ? AND IFNULL(conversation_id, '') = ?")
      .get(source.path, source.conversationId ?? '') as SourceRow | undefined;
    if (existing) {
      this.db.prepare('UPDATE knowledge_sources SET include = ?, exclude = ?, kind = ? WHERE id = ?').run(JSON.stringify(source.include), JSON.stringify(source.exclude), source.kind, existing.id);
      return { ...toSource(existing), include: source.include, exclude: source.exclude, kind: source.kind };
    }
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO knowledge_sources (path, kind, include, exclude, conversation_id, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(source.path, source.kind, JSON.stringify(source.include), JSON.stringify(source.exclude), source.conversationId ?? null, source.origin, createdAt);
    return { ...source, id: Number(lastInsertRowid), createdAt };
  };

  // Read at every run start: prepared once.
  private sourcesQuery: ReturnType<Db['prepare']> | undefined;
  listSources = async () => ((this.sourcesQuery ??= this.db.prepare('SELECT * FROM knowledge_sources ORDER BY id')).all() as SourceRow[]).map(toSource);

  removeSource = async (id: number): Promise<boolean> =>
    this.db.transaction(() => {
      const chunks = this.db.prepare('SELECT c.id FROM knowledge_chunks c JOIN knowledge_files f ON f.id = c.file_id WHERE f.source_id = ?').all(id) as { id: number }[];
      this.forgetChunks(chunks.map((c) => c.id));
      return this.db.prepare('DELETE FROM knowledge_sources WHERE id = ?').run(id).changes > 0;
    })();

  listFiles = async (sourceId: number) =>
    (this.db
      .prepare('SELECT f.*, (SELECT COUNT(*) FROM knowledge_chunks c WHERE c.file_id = f.id) AS chunks FROM knowledge_files f WHERE source_id = ? ORDER BY path')
      .all(sourceId) as FileRow[]).map(toFile);

  getFile = async (sourceId: number, path: string) => {
    const row = this.db
      .prepare('SELECT f.*, (SELECT COUNT(*) FROM knowledge_chunks c WHERE c.file_id = f.id) AS chunks FROM knowledge_files f WHERE source_id = ? AND path = ?')
      .get(sourceId, path) as FileRow | undefined;
    return row && toFile(row);
  };

  setFileState = async (sourceId: number, file: Pick<KnowledgeFile, 'path' | 'size' | 'mtimeMs' | 'state'> & { reason?: string; hash?: string }): Promise<KnowledgeFile> => {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO knowledge_files (source_id, path, size, mtime_ms, state, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(source_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, state = excluded.state, reason = excluded.reason, updated_at = excluded.updated_at`,
      )
      .run(sourceId, file.path, file.size, file.mtimeMs, file.state, file.reason ?? null, now);
    // A file that is no longer indexed has no passages to find.
    if (file.state === 'skipped' || file.state === 'failed') {
      const row = this.db.prepare('SELECT id FROM knowledge_files WHERE source_id = ? AND path = ?').get(sourceId, file.path) as { id: number };
      this.db.transaction(() => {
        this.forgetChunks((this.db.prepare('SELECT id FROM knowledge_chunks WHERE file_id = ?').all(row.id) as { id: number }[]).map((c) => c.id));
        this.db.prepare('UPDATE knowledge_files SET hash = ? WHERE id = ?').run(file.hash ?? null, row.id);
      })();
    }
    return (await this.getFile(sourceId, file.path))!;
  };

  replaceChunks = async (fileId: number, hash: string, chunks: ChunkInput[]) =>
    this.db.transaction(() => {
      const { path } = this.db.prepare('SELECT path FROM knowledge_files WHERE id = ?').get(fileId) as { path: string };
      const old = this.db.prepare('SELECT id, hash FROM knowledge_chunks WHERE file_id = ?').all(fileId) as { id: number; hash: string }[];
      const reusable = new Map<string, number[]>();
      for (const row of old) reusable.set(row.hash, [...(reusable.get(row.hash) ?? []), row.id]);
      const update = this.db.prepare('UPDATE knowledge_chunks SET seq = ?, headings = ?, page_start = ?, page_end = ?, line_start = ?, line_end = ? WHERE id = ?');
      const updateFts = this.db.prepare('UPDATE knowledge_fts SET headings = ? WHERE rowid = ?');
      const insert = this.db.prepare(
        'INSERT INTO knowledge_chunks (file_id, seq, text, hash, headings, page_start, page_end, line_start, line_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const insertFts = this.db.prepare('INSERT INTO knowledge_fts (rowid, text, headings, path) VALUES (?, ?, ?, ?)');
      const added: number[] = [];
      let kept = 0;
      chunks.forEach((chunk, seq) => {
        const headings = JSON.stringify(chunk.headings);
        const place = [chunk.pageStart ?? null, chunk.pageEnd ?? null, chunk.lineStart ?? null, chunk.lineEnd ?? null];
        const reuse = reusable.get(chunk.hash)?.shift();
        if (reuse !== undefined) {
          update.run(seq, headings, ...place, reuse);
          updateFts.run(chunk.headings.join(' / '), reuse);
          kept++;
          return;
        }
        const id = Number(insert.run(fileId, seq, chunk.text, chunk.hash, headings, ...place).lastInsertRowid);
        insertFts.run(id, chunk.text, chunk.headings.join(' / '), path);
        added.push(id);
      });
      this.forgetChunks([...reusable.values()].flat());
      this.db.prepare("UPDATE knowledge_files SET hash = ?, state = 'indexed', reason = NULL, updated_at = ? WHERE id = ?").run(hash, new Date().toISOString(), fileId);
      return { added, kept };
    })();

  removeFile = async (fileId: number) => {
    this.db.transaction(() => {
      this.forgetChunks((this.db.prepare('SELECT id FROM knowledge_chunks WHERE file_id = ?').all(fileId) as { id: number }[]).map((c) => c.id));
      this.db.prepare('DELETE FROM knowledge_files WHERE id = ?').run(fileId);
    })();
  };

  getChunks = async (ids: number[]): Promise<ChunkHit[]> => {
    if (!ids.length) return [];
    const rows = this.db
      .prepare(`SELECT c.*, f.path, f.source_id FROM knowledge_chunks c JOIN knowledge_files f ON f.id = c.file_id WHERE c.id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as ChunkRow[];
    const byId = new Map(rows.map((row) => [row.id, { ...toChunk(row), path: row.path!, sourceId: row.source_id! }]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };

  fileChunks = async (fileId: number) => (this.db.prepare('SELECT * FROM knowledge_chunks WHERE file_id = ? ORDER BY seq').all(fileId) as ChunkRow[]).map(toChunk);

  searchText = async (query: string, filter: SearchFilter, limit: number): Promise<Ranked[]> => {
    const match = ftsQuery(query);
    if (!match) return [];
    const { where, params } = filterSql(filter);
    // Joined to files only when filtering: the plain full-text query is much faster.
    const sql = where
      ? `SELECT t.rowid AS id FROM knowledge_fts t JOIN knowledge_chunks c ON c.id = t.rowid JOIN knowledge_files f ON f.id = c.file_id
         WHERE knowledge_fts MATCH ?${where} ORDER BY bm25(knowledge_fts, 1.0, 0.6, 0.4) LIMIT ?`
      : 'SELECT rowid AS id FROM knowledge_fts WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts, 1.0, 0.6, 0.4) LIMIT ?';
    const rows = this.db.prepare(sql).all(match, ...params, limit) as { id: number }[];
    return rows.map((row, rank) => ({ id: row.id, rank }));
  };

  ensureSpace = async (model: string, dimensions: number): Promise<VectorSpace> =>
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO knowledge_spaces (model, dimensions) VALUES (?, ?)').run(model, dimensions);
      const { id } = this.db.prepare('SELECT id FROM knowledge_spaces WHERE model = ? AND dimensions = ?').get(model, dimensions) as { id: number };
      const space = { id, model, dimensions };
      this.vectors.create(space);
      return space;
    })();

  setVectors = async (space: VectorSpace, vectors: { chunkId: number; vector: number[] }[]) => {
    const mark = this.db.prepare('INSERT OR IGNORE INTO knowledge_embedded (space_id, chunk_id) VALUES (?, ?)');
    const exists = this.db.prepare('SELECT 1 FROM knowledge_chunks WHERE id = ?');
    this.db.transaction(() => {
      for (const { chunkId, vector } of vectors) {
        if (vector.length !== space.dimensions) throw new Error(`embedding of passage ${chunkId} has ${vector.length} dimensions, ${space.model} has ${space.dimensions}`);
      }
      // A passage whose file changed or went away while the model was embedding gets no vector.
      const live = vectors.filter(({ chunkId }) => exists.get(chunkId));
      for (const { chunkId } of live) mark.run(space.id, chunkId);
      this.vectors.put(space, live.map(({ chunkId, vector }) => ({ id: chunkId, vector })));
    })();
  };

  chunksWithoutVector = async (space: VectorSpace, limit: number) =>
    (this.db
      .prepare('SELECT c.* FROM knowledge_chunks c WHERE NOT EXISTS (SELECT 1 FROM knowledge_embedded e WHERE e.space_id = ? AND e.chunk_id = c.id) ORDER BY c.id LIMIT ?')
      .all(space.id, limit) as ChunkRow[]).map(toChunk);

  searchVector = async (space: VectorSpace, vector: number[], filter: SearchFilter, limit: number): Promise<Ranked[]> => {
    const filtered = Boolean(filter.sourceIds || filter.file);
    const k = filtered ? limit * FILTERED_OVERFETCH : limit;
    let hits = this.vectors.search(space, vector, k);
    if (filtered && hits.length) {
      const { where, params } = filterSql(filter);
      const allowed = new Set(
        (this.db
          .prepare(`SELECT c.id FROM knowledge_chunks c JOIN knowledge_files f ON f.id = c.file_id WHERE c.id IN (${hits.map(() => '?').join(',')})${where}`)
          .all(...hits.map((h) => h.id), ...params) as { id: number }[]).map((r) => r.id),
      );
      hits = hits.filter((h) => allowed.has(h.id));
    }
    return hits.slice(0, limit).map((hit, rank) => ({ ...hit, rank }));
  };

  counts = async () => this.db.prepare("SELECT (SELECT COUNT(*) FROM knowledge_chunks) AS chunks, (SELECT COUNT(*) FROM knowledge_files WHERE state = 'indexed') AS files").get() as { chunks: number; files: number };

  spaces = async () => this.db.prepare('SELECT id, model, dimensions FROM knowledge_spaces ORDER BY id').all() as VectorSpace[];
  vectorsOf = async (space: VectorSpace, afterChunkId: number, limit: number) =>
    this.vectors.rows(space.id, afterChunkId, limit).map(({ id, vector }) => ({ chunkId: id, vector }));

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Drops passages from FTS and every vector table; call inside a transaction. */
  private forgetChunks(ids: number[]): void {
    if (!ids.length) return;
    const spaces = this.db.prepare('SELECT id FROM knowledge_spaces').all() as { id: number }[];
    const fts = this.db.prepare('DELETE FROM knowledge_fts WHERE rowid = ?');
    const chunk = this.db.prepare('DELETE FROM knowledge_chunks WHERE id = ?');
    for (const id of ids) {
      fts.run(id);
      for (const s of spaces) this.vectors.delete(s.id, id);
      chunk.run(id);
    }
  }
}

function filterSql(filter: SearchFilter): { where: string; params: unknown[] } {
  let where = '';
  const params: unknown[] = [];
  if (filter.sourceIds) {
    where += filter.sourceIds.length ? ` AND f.source_id IN (${filter.sourceIds.map(() => '?').join(',')})` : ' AND 0';
    params.push(...filter.sourceIds);
  }
  if (filter.file) {
    where += " AND lower(f.path) LIKE ? ESCAPE '\\'";
    params.push(`%${filter.file.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return { where, params };
}
