// Knowledge's numbered PostgreSQL migrations (component `knowledge` in rein_schema). Never edit a released one.
export const PG_KNOWLEDGE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE knowledge_sources (
     id SERIAL PRIMARY KEY,
     path TEXT NOT NULL,
     kind TEXT NOT NULL,
     include TEXT NOT NULL,
     exclude TEXT NOT NULL,
     conversation_id TEXT,
     origin TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX knowledge_sources_unique ON knowledge_sources (path, COALESCE(conversation_id, ''));
   CREATE TABLE knowledge_files (
     id SERIAL PRIMARY KEY,
     source_id INTEGER NOT NULL REFERENCES knowledge_sources(id) ON DELETE CASCADE,
     path TEXT NOT NULL,
     size BIGINT NOT NULL,
     mtime_ms DOUBLE PRECISION NOT NULL,
     hash TEXT,
     state TEXT NOT NULL,
     reason TEXT,
     updated_at TEXT NOT NULL,
     UNIQUE (source_id, path)
   );
   CREATE TABLE knowledge_chunks (
     id SERIAL PRIMARY KEY,
     file_id INTEGER NOT NULL REFERENCES knowledge_files(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     text TEXT NOT NULL,
     hash TEXT NOT NULL,
     headings TEXT NOT NULL,
     heading_path TEXT NOT NULL,
     file_path TEXT NOT NULL,
     page_start INTEGER,
     page_end INTEGER,
     line_start INTEGER,
     line_end INTEGER,
     words tsvector GENERATED ALWAYS AS (
       setweight(to_tsvector('english', text), 'A') || setweight(to_tsvector('english', heading_path), 'B') || setweight(to_tsvector('simple', file_path), 'C')
     ) STORED
   );
   CREATE INDEX knowledge_chunks_by_file ON knowledge_chunks (file_id);
   CREATE INDEX knowledge_chunks_words ON knowledge_chunks USING GIN (words);
   CREATE TABLE knowledge_spaces (
     id SERIAL PRIMARY KEY,
     model TEXT NOT NULL,
     dimensions INTEGER NOT NULL,
     UNIQUE (model, dimensions)
   );`,
];
