// Knowledge's own numbered migrations, in memory's database file. Memory owns PRAGMA user_version, so knowledge
// counts its version in knowledge_schema. Never edit a released migration: add the next one.
import type { Db } from '../../memory/index.ts';
import { KnowledgeError } from '../errors.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE knowledge_sources (
     id INTEGER PRIMARY KEY,
     path TEXT NOT NULL,
     kind TEXT NOT NULL,
     include TEXT NOT NULL,
     exclude TEXT NOT NULL,
     conversation_id TEXT,
     origin TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX knowledge_sources_unique ON knowledge_sources(path, IFNULL(conversation_id, ''));
   CREATE TABLE knowledge_files (
     id INTEGER PRIMARY KEY,
     source_id INTEGER NOT NULL REFERENCES knowledge_sources(id) ON DELETE CASCADE,
     path TEXT NOT NULL,
     size INTEGER NOT NULL,
     mtime_ms REAL NOT NULL,
     hash TEXT,
     state TEXT NOT NULL,
     reason TEXT,
     updated_at TEXT NOT NULL,
     UNIQUE (source_id, path)
   );
   CREATE TABLE knowledge_chunks (
     id INTEGER PRIMARY KEY,
     file_id INTEGER NOT NULL REFERENCES knowledge_files(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     text TEXT NOT NULL,
     hash TEXT NOT NULL,
     headings TEXT NOT NULL,
     page_start INTEGER,
     page_end INTEGER,
     line_start INTEGER,
     line_end INTEGER
   );
   CREATE INDEX knowledge_chunks_by_file ON knowledge_chunks(file_id);
   CREATE VIRTUAL TABLE knowledge_fts USING fts5(text, headings, path, tokenize = 'porter unicode61');
   CREATE TABLE knowledge_spaces (
     id INTEGER PRIMARY KEY,
     model TEXT NOT NULL,
     dimensions INTEGER NOT NULL,
     trained_count INTEGER NOT NULL DEFAULT 0,
     UNIQUE (model, dimensions)
   );
   CREATE TABLE knowledge_centroids (
     space_id INTEGER NOT NULL REFERENCES knowledge_spaces(id) ON DELETE CASCADE,
     cluster INTEGER NOT NULL,
     centroid BLOB NOT NULL,
     PRIMARY KEY (space_id, cluster)
   ) WITHOUT ROWID;
   CREATE TABLE knowledge_embedded (
     space_id INTEGER NOT NULL REFERENCES knowledge_spaces(id) ON DELETE CASCADE,
     chunk_id INTEGER NOT NULL REFERENCES knowledge_chunks(id) ON DELETE CASCADE,
     PRIMARY KEY (space_id, chunk_id)
   ) WITHOUT ROWID;`,
];

export function migrateKnowledge(db: Db, file: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS knowledge_schema (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM knowledge_schema').get() as { version: number } | undefined;
  const version = row?.version ?? 0;
  if (version > MIGRATIONS.length) {
    throw new KnowledgeError(`${file} has knowledge schema version ${version}, newer than this Rein understands (${MIGRATIONS.length}); update Rein`);
  }
  for (let next = version + 1; next <= MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next - 1]!);
      db.exec('DELETE FROM knowledge_schema');
      db.prepare('INSERT INTO knowledge_schema (version) VALUES (?)').run(next);
    })();
  }
}
