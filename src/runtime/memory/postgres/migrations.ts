// Memory's numbered PostgreSQL migrations (component `memory` in rein_schema). Never edit a released one: add the next.
// Times are ISO-8601 text as in SQLite, so both backends sort and compare them alike.
export const PG_MEMORY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     goal TEXT NOT NULL,
     status TEXT NOT NULL,
     model TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     steps INTEGER NOT NULL DEFAULT 0,
     prompt_tokens BIGINT NOT NULL DEFAULT 0,
     completion_tokens BIGINT NOT NULL DEFAULT 0,
     conversation_id TEXT
   );
   CREATE INDEX sessions_by_update ON sessions (updated_at DESC, id);
   CREATE TABLE events (
     session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     time TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (session_id, seq)
   );
   CREATE TABLE checkpoints (
     session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
     step INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     state TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE SEQUENCE note_ids;
   CREATE TABLE notes (
     id INTEGER PRIMARY KEY,
     content TEXT NOT NULL,
     kind TEXT NOT NULL,
     source TEXT NOT NULL,
     session_id TEXT,
     step INTEGER,
     created_at TEXT NOT NULL,
     last_used_at TEXT,
     pinned_at TEXT,
     words tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
   );
   CREATE INDEX notes_words ON notes USING GIN (words);
   CREATE INDEX notes_by_session ON notes (session_id);
   CREATE INDEX notes_pinned ON notes (pinned_at) WHERE pinned_at IS NOT NULL;
   CREATE TABLE embedding_spaces (
     id SERIAL PRIMARY KEY,
     model TEXT NOT NULL,
     dimensions INTEGER NOT NULL,
     UNIQUE (model, dimensions)
   );`,
  // 2: deleted notes kept a while so any process can restore them
  `CREATE TABLE deleted_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL, deleted_at BIGINT NOT NULL);`,
];
