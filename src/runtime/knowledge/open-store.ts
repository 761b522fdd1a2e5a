// Where the knowledge index lives: beside semantic memory on a PostgreSQL server (memory.semantic, else
// memory.episodic, when either is postgres://), else in memory's SQLite file. Server code loads only when used.
import { isPostgresUrl, type ReinConfig } from '../config/index.ts';
import { SqliteKnowledgeStore } from './sqlite/sqlite-knowledge-store.ts';
import type { KnowledgeStore } from './types.ts';

/** The postgres:// URL of the knowledge index, or undefined for SQLite. */
export function knowledgeServer(config: Pick<ReinConfig, 'memory'>): string | undefined {
  return [config.memory.semantic, config.memory.episodic].find((url): url is string => url !== undefined && isPostgresUrl(url));
}

export async function openKnowledgeStore(config: Pick<ReinConfig, 'memory'>): Promise<KnowledgeStore> {
  const url = knowledgeServer(config);
  if (!url) return new SqliteKnowledgeStore(config.memory.path);
  const { PgKnowledgeStore } = await import('./postgres/pg-knowledge-store.ts');
  return PgKnowledgeStore.open(url);
}
