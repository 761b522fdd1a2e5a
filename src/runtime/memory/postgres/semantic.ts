// Semantic notes in PostgreSQL: rows in `notes` with a generated tsvector (GIN index), vectors in one pgvector table
// per embedding space (HNSW, cosine). Without pgvector, spaces cannot be made and recall is full-text only.
import type pg from 'pg';
import type { Redactor } from '../../base/index.ts';
import { HNSW_MAX_DIMENSIONS, inTransaction, vectorLiteral, type Queryable } from '../../postgres/index.ts';
import { tsQuery } from '../search-words.ts';
import type { EmbeddingSpace, NewNote, Note, RankedNote } from '../store.ts';
import { toNote, type NoteRow } from '../rows.ts';

const NOTE_COLUMNS = 'id, content, kind, source, session_id, step, created_at, last_used_at, pinned_at';

export class PgSemantic {
  private readonly pool: pg.Pool;
  private readonly redact: Redactor;
  /** Why vectors cannot be kept here (no pgvector), or undefined. */
  readonly vectorsOff: string | undefined;

  constructor(pool: pg.Pool, redact: Redactor, vectorsOff: string | undefined) {
    this.pool = pool;
    this.redact = redact;
    this.vectorsOff = vectorsOff;
  }

  async add(original: NewNote): Promise<Note> {
    const note = { ...original, content: this.redact(original.content) };
    const { rows } = await this.pool.query<{ id: string }>("SELECT nextval('note_ids') AS id");
    return this.insert(this.pool, { ...note, id: Number(rows[0]!.id), createdAt: new Date().toISOString() });
  }

  /** A deleted note back under its id (a new one only if the id was taken meanwhile). */
  restore(note: Note): Promise<Note> {
    return inTransaction(this.pool, async (client) => {
      const taken = (await client.query('SELECT 1 FROM notes WHERE id = $1', [note.id])).rowCount;
      const id = taken ? Number((await client.query<{ id: string }>("SELECT nextval('note_ids') AS id")).rows[0]!.id) : note.id;
      // Ids are never reused: the sequence stays past every id that was ever given.
      await client.query("SELECT setval('note_ids', GREATEST((SELECT last_value FROM note_ids), $1))", [id]);
      return this.insert(client, { ...note, content: this.redact(note.content), id });
    });
  }

  /** Many notes at once (an archive into an empty store): one statement, ids kept, the id sequence moved past them. */
  async importMany(notes: Note[]): Promise<void> {
    if (!notes.length) return;
    const column = <T>(pick: (note: Note) => T) => notes.map(pick);
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO notes (${NOTE_COLUMNS})
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[])`,
        [
          column((n) => n.id), column((n) => this.redact(n.content)), column((n) => n.kind), column((n) => n.source), column((n) => n.sessionId ?? null),
          column((n) => n.step ?? null), column((n) => n.createdAt), column((n) => n.lastUsedAt ?? null), column((n) => n.pinnedAt ?? null),
        ],
      );
      await client.query("SELECT setval('note_ids', GREATEST((SELECT last_value FROM note_ids), $1))", [Math.max(...notes.map((n) => n.id))]);
    });
  }

  /** Keeps a deleted note restorable (by any process); drops those deleted before `since`, beyond `keep`. */
  keepDeleted(note: Note, since: number, keep: number): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO deleted_notes (id, note, deleted_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET note = excluded.note, deleted_at = excluded.deleted_at',
        [note.id, JSON.stringify(note), Date.now()],
      );
      await client.query('DELETE FROM deleted_notes WHERE deleted_at < $1 OR id NOT IN (SELECT id FROM deleted_notes ORDER BY deleted_at DESC LIMIT $2)', [since, keep]);
    });
  }

  async takeDeleted(id: number, since: number): Promise<Note | undefined> {
    const { rows } = await this.pool.query<{ note: string; deleted_at: string }>('DELETE FROM deleted_notes WHERE id = $1 RETURNING note, deleted_at', [id]);
    const row = rows[0];
    return row && Number(row.deleted_at) >= since ? (JSON.parse(row.note) as Note) : undefined;
  }

  async update(id: number, original: string): Promise<Note | undefined> {
    const content = this.redact(original);
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<NoteRow>(`UPDATE notes SET content = $1 WHERE id = $2 RETURNING ${NOTE_COLUMNS}`, [content, id]);
      if (!rows[0]) return undefined;
      await this.dropVectors(client, id);
      return toNote(rows[0]);
    });
  }

  async setPinned(id: number, pinned: boolean): Promise<Note | undefined> {
    const { rows } = await this.pool.query<NoteRow>(
      `UPDATE notes SET pinned_at = CASE WHEN $1 THEN COALESCE(pinned_at, $2) ELSE NULL END WHERE id = $3 RETURNING ${NOTE_COLUMNS}`,
      [pinned, new Date().toISOString(), id],
    );
    return rows[0] && toNote(rows[0]);
  }

  async pinned(): Promise<Note[]> {
    return (await this.pool.query<NoteRow>(`SELECT ${NOTE_COLUMNS} FROM notes WHERE pinned_at IS NOT NULL ORDER BY pinned_at, id`)).rows.map(toNote);
  }

  private async insert(db: Queryable, note: Note): Promise<Note> {
    const { id, content, kind, source, sessionId, step, createdAt, lastUsedAt, pinnedAt } = note;
    await db.query(`INSERT INTO notes (${NOTE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      id, content, kind, source, sessionId ?? null, step ?? null, createdAt, lastUsedAt ?? null, pinnedAt ?? null,
    ]);
    return { id, content, kind, source, ...(sessionId ? { sessionId } : {}), ...(step !== undefined && step !== null ? { step } : {}), createdAt, ...(lastUsedAt ? { lastUsedAt } : {}), ...(pinnedAt ? { pinnedAt } : {}) };
  }

  private async spaces(db: Queryable): Promise<EmbeddingSpace[]> {
    if (this.vectorsOff) return [];
    return (await db.query<EmbeddingSpace>('SELECT id, model, dimensions FROM embedding_spaces ORDER BY id')).rows;
  }

  private async dropVectors(db: Queryable, id: number): Promise<void> {
    for (const space of await this.spaces(db)) await db.query(`DELETE FROM ${vectorTable(space.id)} WHERE note_id = $1`, [id]);
  }

  async get(ids: number[]): Promise<Note[]> {
    if (!ids.length) return [];
    const { rows } = await this.pool.query<NoteRow>(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = ANY($1::int[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toNote(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async deleteOfSession(sessionId: string): Promise<void> {
    await this.pool.query('DELETE FROM notes WHERE session_id = $1', [sessionId]); // vectors go with them (cascade)
  }

  async recent(limit: number): Promise<Note[]> {
    return (await this.pool.query<NoteRow>(`SELECT ${NOTE_COLUMNS} FROM notes ORDER BY id DESC LIMIT $1`, [limit])).rows.map(toNote);
  }

  async delete(id: number): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM notes WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async touch(ids: number[]): Promise<void> {
    if (ids.length) await this.pool.query('UPDATE notes SET last_used_at = $1 WHERE id = ANY($2::int[])', [new Date().toISOString(), ids]);
  }

  async searchText(query: string, limit: number): Promise<RankedNote[]> {
    const match = tsQuery(query);
    if (!match) return [];
    const { rows } = await this.pool.query<{ id: number }>(
      `SELECT id FROM notes, to_tsquery('english', $1) q WHERE words @@ q ORDER BY ts_rank_cd(words, q) DESC, id DESC LIMIT $2`,
      [match, limit],
    );
    return rows.map((row, rank) => ({ id: row.id, rank }));
  }

  async ensureSpace(model: string, dimensions: number): Promise<EmbeddingSpace> {
    if (this.vectorsOff) throw new Error(`vector search is off: ${this.vectorsOff}`);
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rein.space.notes.${model}.${dimensions}`]);
      await client.query('INSERT INTO embedding_spaces (model, dimensions) VALUES ($1, $2) ON CONFLICT DO NOTHING', [model, dimensions]);
      const { rows } = await client.query<{ id: number }>('SELECT id FROM embedding_spaces WHERE model = $1 AND dimensions = $2', [model, dimensions]);
      const space = { id: rows[0]!.id, model, dimensions };
      await createVectorTable(client, vectorTable(space.id), 'note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE', dimensions);
      return space;
    });
  }

  async setEmbeddings(space: EmbeddingSpace, vectors: { noteId: number; vector: number[] }[]): Promise<void> {
    for (const { noteId, vector } of vectors) {
      if (vector.length !== space.dimensions) throw new Error(`embedding of note ${noteId} has ${vector.length} dimensions, ${space.model} space has ${space.dimensions}`);
    }
    if (!vectors.length) return;
    // A note deleted while it was being embedded gets no vector.
    await this.pool.query(
      `INSERT INTO ${vectorTable(space.id)} (note_id, embedding)
       SELECT v.id, v.embedding::vector FROM unnest($1::int[], $2::text[]) AS v(id, embedding) WHERE EXISTS (SELECT 1 FROM notes n WHERE n.id = v.id)
       ON CONFLICT (note_id) DO UPDATE SET embedding = excluded.embedding`,
      [vectors.map((v) => v.noteId), vectors.map((v) => vectorLiteral(v.vector))],
    );
  }

  async withoutEmbedding(space: EmbeddingSpace, limit: number): Promise<Note[]> {
    const { rows } = await this.pool.query<NoteRow>(
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE NOT EXISTS (SELECT 1 FROM ${vectorTable(space.id)} v WHERE v.note_id = n.id) ORDER BY n.id LIMIT $1`,
      [limit],
    );
    return rows.map(toNote);
  }

  async allSpaces(): Promise<EmbeddingSpace[]> {
    return this.spaces(this.pool);
  }

  async vectorsOf(space: EmbeddingSpace, afterNoteId: number, limit: number): Promise<{ noteId: number; vector: number[] }[]> {
    const { rows } = await this.pool.query<{ note_id: number; embedding: string }>(
      `SELECT note_id, embedding::text AS embedding FROM ${vectorTable(space.id)} WHERE note_id > $1 ORDER BY note_id LIMIT $2`,
      [afterNoteId, limit],
    );
    return rows.map((row) => ({ noteId: row.note_id, vector: JSON.parse(row.embedding) as number[] }));
  }

  searchVector(space: EmbeddingSpace, vector: number[], limit: number): Promise<RankedNote[]> {
    return nearestRows(this.pool, vectorTable(space.id), 'note_id', vector, limit);
  }
}

export function vectorTable(spaceId: number): string {
  return `note_vectors_${Math.trunc(spaceId)}`;
}

/** A pgvector table of one space, with an HNSW cosine index when the dimension allows one. */
export async function createVectorTable(db: Queryable, table: string, key: string, dimensions: number): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${table} (${key}, embedding vector(${Math.trunc(dimensions)}) NOT NULL)`);
  if (dimensions <= HNSW_MAX_DIMENSIONS) await db.query(`CREATE INDEX IF NOT EXISTS ${table}_hnsw ON ${table} USING hnsw (embedding vector_cosine_ops)`);
}

/** The nearest rows by cosine distance, best first; the HNSW search looks at enough candidates for `limit`. */
export async function nearestRows(pool: pg.Pool, table: string, key: string, vector: number[], limit: number): Promise<RankedNote[]> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(Math.min(1000, Math.max(40, limit)))]);
    const { rows } = await client.query<{ id: number; distance: number }>(
      `SELECT ${key} AS id, embedding <=> $1::vector AS distance FROM ${table} ORDER BY embedding <=> $1::vector LIMIT $2`,
      [vectorLiteral(vector), limit],
    );
    return rows.map((row, rank) => ({ id: row.id, rank, distance: Number(row.distance) }));
  });
}
