// Numbered schema migrations. Never edit a released one: add the next number. PRAGMA user_version = last applied.
export const MIGRATIONS: readonly string[] = [
  // 1: the episodic log and checkpoints
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     goal TEXT NOT NULL,
     status TEXT NOT NULL,
     model TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     steps INTEGER NOT NULL DEFAULT 0,
     prompt_tokens INTEGER NOT NULL DEFAULT 0,
     completion_tokens INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE events (
     session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     time TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (session_id, seq)
   ) WITHOUT ROWID;
   CREATE INDEX events_by_time ON events(session_id, time);
   CREATE TABLE checkpoints (
     session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
     step INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     state TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
  // 2: semantic notes with full-text search and per-model embedding spaces
  `CREATE TABLE notes (
     id INTEGER PRIMARY KEY,
     content TEXT NOT NULL,
     kind TEXT NOT NULL,
     source TEXT NOT NULL,
     session_id TEXT,
     step INTEGER,
     created_at TEXT NOT NULL,
     last_used_at TEXT
   );
   CREATE INDEX notes_by_session ON notes(session_id);
   CREATE VIRTUAL TABLE notes_fts USING fts5(content, tokenize = 'porter unicode61');
   CREATE TABLE embedding_spaces (
     id INTEGER PRIMARY KEY,
     model TEXT NOT NULL,
     dimensions INTEGER NOT NULL,
     UNIQUE (model, dimensions)
   );
   CREATE TABLE note_embeddings (
     space_id INTEGER NOT NULL REFERENCES embedding_spaces(id) ON DELETE CASCADE,
     note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
     PRIMARY KEY (space_id, note_id)
   ) WITHOUT ROWID;`,
  // 3: inverted-file vector index: k-means centroids per space; vectors are partitioned by nearest centroid
  `CREATE TABLE vector_centroids (
     space_id INTEGER NOT NULL REFERENCES embedding_spaces(id) ON DELETE CASCADE,
     cluster INTEGER NOT NULL,
     centroid BLOB NOT NULL,
     PRIMARY KEY (space_id, cluster)
   ) WITHOUT ROWID;
   ALTER TABLE embedding_spaces ADD COLUMN trained_count INTEGER NOT NULL DEFAULT 0;`,
  // 4: pinned notes (given to the model at every run start); note ids are never reused, so a restored note keeps its id
  `ALTER TABLE notes ADD COLUMN pinned_at TEXT;
   CREATE INDEX notes_pinned ON notes(pinned_at) WHERE pinned_at IS NOT NULL;
   CREATE TABLE note_ids (last INTEGER NOT NULL);
   INSERT INTO note_ids (last) SELECT COALESCE(MAX(id), 0) FROM notes;`,
  // 5: notes deleted a short while ago, kept so any process (the CLI without a host too) can undo the delete
  `CREATE TABLE deleted_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL, deleted_at INTEGER NOT NULL);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
