// Semantic notes in SQLite: rows in `notes`, text in FTS5, vectors in one sqlite-vec vec0 table per embedding space.
import type { EmbeddingSpace, NewNote, Note, RankedNote } from '../store.ts';
import { toNote, type NoteRow } from '../rows.ts';
import type { Redactor } from '../../base/index.ts';
import type { Db } from './open-database.ts';
import { VectorIndex } from './vector-index.ts';
import { ftsQuery } from '../search-words.ts';

export class SemanticTables {
  private readonly db: Db;
  private readonly vectors: VectorIndex;
  private readonly redact: Redactor;
  private readonly nextId;
  private readonly insertNote;
  private readonly insertText;

  constructor(db: Db, redact: Redactor) {
    this.db = db;
    this.redact = redact;
    this.vectors = new VectorIndex(db);
    // Ids are never reused (SQLite would reuse the largest after its delete): a restored note gets its own id back.
    this.nextId = db.prepare('UPDATE note_ids SET last = MAX(last, (SELECT COALESCE(MAX(id), 0) FROM notes)) + 1 RETURNING last');
    this.insertNote = db.prepare(
      'INSERT INTO notes (id, content, kind, source, session_id, step, created_at, last_used_at, pinned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertText = db.prepare('INSERT INTO notes_fts (rowid, content) VALUES (?, ?)');
  }

  add(original: NewNote): Note {
    const note = { ...original, content: this.redact(original.content) };
    const createdAt = new Date().toISOString();
    return this.db.transaction(() => this.insert({ ...note, id: this.newId(), createdAt }))();
  }

  /** Keeps a deleted note for `restore` (the newest `keep` of those deleted after `since`). */
  keepDeleted(note: Note, since: number, keep: number): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO deleted_notes (id, note, deleted_at) VALUES (?, ?, ?)').run(note.id, JSON.stringify(note), Date.now());
      this.db.prepare('DELETE FROM deleted_notes WHERE deleted_at < ? OR id NOT IN (SELECT id FROM deleted_notes ORDER BY deleted_at DESC LIMIT ?)').run(since, keep);
    })();
  }

  /** A note deleted after `since`, taken out of the kept ones; undefined when there is none. */
  takeDeleted(id: number, since: number): Note | undefined {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT note FROM deleted_notes WHERE id = ? AND deleted_at >= ?').get(id, since) as { note: string } | undefined;
      this.db.prepare('DELETE FROM deleted_notes WHERE id = ?').run(id);
      return row ? (JSON.parse(row.note) as Note) : undefined;
    })();
  }

  /** A deleted note back under its id (a new one only if the id was taken meanwhile). */
  restore(note: Note): Note {
    return this.db.transaction(() => {
      const taken = this.db.prepare('SELECT 1 FROM notes WHERE id = ?').get(note.id);
      return this.insert({ ...note, content: this.redact(note.content), id: taken ? this.newId() : note.id });
    })();
  }

  importMany(notes: Note[]): void {
    this.db.transaction(() => notes.forEach((note) => this.restore(note)))();
  }

  update(id: number, original: string): Note | undefined {
    const content = this.redact(original);
    return this.db.transaction(() => {
      if (!this.db.prepare('UPDATE notes SET content = ? WHERE id = ?').run(content, id).changes) return undefined;
      this.db.prepare('DELETE FROM notes_fts WHERE rowid = ?').run(id);
      this.insertText.run(id, content);
      this.dropVectors(id);
      return this.get([id])[0];
    })();
  }

  setPinned(id: number, pinned: boolean): Note | undefined {
    this.db.prepare('UPDATE notes SET pinned_at = CASE WHEN ? THEN COALESCE(pinned_at, ?) ELSE NULL END WHERE id = ?').run(pinned ? 1 : 0, new Date().toISOString(), id);
    return this.get([id])[0];
  }

  pinned(): Note[] {
    return (this.db.prepare('SELECT * FROM notes WHERE pinned_at IS NOT NULL ORDER BY pinned_at, id').all() as NoteRow[]).map(toNote);
  }

  private newId(): number {
    return (this.nextId.get() as { last: number }).last;
  }

  private insert(note: Note): Note {
    const { id, content, kind, source, sessionId, step, createdAt, lastUsedAt, pinnedAt } = note;
    this.insertNote.run(id, content, kind, source, sessionId ?? null, step ?? null, createdAt, lastUsedAt ?? null, pinnedAt ?? null);
    this.insertText.run(id, content);
    return note;
  }

  /** Removes a note's vectors from every embedding space. */
  private dropVectors(id: number): void {
    const spaces = this.db.prepare('SELECT space_id FROM note_embeddings WHERE note_id = ?').all(id) as { space_id: number }[];
    for (const { space_id } of spaces) this.vectors.delete(space_id, id);
    this.db.prepare('DELETE FROM note_embeddings WHERE note_id = ?').run(id);
  }

  get(ids: number[]): Note[] {
    if (!ids.length) return [];
    const rows = this.db.prepare(`SELECT * FROM notes WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as NoteRow[];
    const byId = new Map(rows.map((row) => [row.id, toNote(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Ids of the notes written in a session. */
  idsOfSession(sessionId: string): number[] {
    return (this.db.prepare('SELECT id FROM notes WHERE session_id = ?').all(sessionId) as { id: number }[]).map((row) => row.id);
  }

  /** The newest notes first. */
  recent(limit: number): Note[] {
    return (this.db.prepare('SELECT * FROM notes ORDER BY id DESC LIMIT ?').all(limit) as NoteRow[]).map(toNote);
  }

  delete(id: number): boolean {
    return this.db.transaction(() => {
      this.dropVectors(id);
      this.db.prepare('DELETE FROM notes_fts WHERE rowid = ?').run(id);
      return this.db.prepare('DELETE FROM notes WHERE id = ?').run(id).changes > 0;
    })();
  }

  touch(ids: number[]): void {
    const now = new Date().toISOString();
    const update = this.db.prepare('UPDATE notes SET last_used_at = ? WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => update.run(now, id)))();
  }

  searchText(query: string, limit: number): RankedNote[] {
    const match = ftsQuery(query);
    if (!match) return [];
    const rows = this.db
      .prepare('SELECT rowid AS id FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rank, rowid DESC LIMIT ?')
      .all(match, limit) as { id: number }[];
    return rows.map((row, rank) => ({ id: row.id, rank }));
  }

  ensureSpace(model: string, dimensions: number): EmbeddingSpace {
    return this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO embedding_spaces (model, dimensions) VALUES (?, ?)').run(model, dimensions);
      const { id } = this.db.prepare('SELECT id FROM embedding_spaces WHERE model = ? AND dimensions = ?').get(model, dimensions) as { id: number };
      const space = { id, model, dimensions };
      this.vectors.create(space);
      return space;
    })();
  }

  setEmbeddings(space: EmbeddingSpace, vectors: { noteId: number; vector: number[] }[]): void {
    const mark = this.db.prepare('INSERT OR IGNORE INTO note_embeddings (space_id, note_id) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const { noteId, vector } of vectors) {
        if (vector.length !== space.dimensions) {
          throw new Error(`embedding of note ${noteId} has ${vector.length} dimensions, ${space.model} space has ${space.dimensions}`);
        }
      }
      for (const { noteId } of vectors) mark.run(space.id, noteId);
      this.vectors.put(space, vectors.map(({ noteId, vector }) => ({ id: noteId, vector })));
    })();
  }

  withoutEmbedding(space: EmbeddingSpace, limit: number): Note[] {
    const rows = this.db
      .prepare('SELECT n.* FROM notes n WHERE NOT EXISTS (SELECT 1 FROM note_embeddings e WHERE e.space_id = ? AND e.note_id = n.id) ORDER BY n.id LIMIT ?')
      .all(space.id, limit) as NoteRow[];
    return rows.map(toNote);
  }

  spaces(): EmbeddingSpace[] {
    return this.db.prepare('SELECT id, model, dimensions FROM embedding_spaces ORDER BY id').all() as EmbeddingSpace[];
  }

  vectorsOf(space: EmbeddingSpace, afterNoteId: number, limit: number): { noteId: number; vector: number[] }[] {
    return this.vectors.rows(space.id, afterNoteId, limit).map(({ id, vector }) => ({ noteId: id, vector }));
  }

  searchVector(space: EmbeddingSpace, vector: number[], limit: number): RankedNote[] {
    return this.vectors.search(space, vector, limit);
  }
}
