// pgvector in the same database: enabled when the server has the extension; otherwise vector search is off with a
// clear reason (recall and document search use full-text search only).
import type pg from 'pg';
import { errorMessage } from '../base/index.ts';

/** HNSW indexes `vector` columns of up to this many dimensions; larger spaces are searched exactly. */
export const HNSW_MAX_DIMENSIONS = 2000;

/** Undefined when pgvector is usable; else why not. */
export async function enableVectors(pool: pg.Pool): Promise<string | undefined> {
  try {
    const { rows } = await pool.query<{ installed: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed");
    if (rows[0]?.installed) return undefined;
    const available = await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (!available.rowCount) return 'the PostgreSQL server has no pgvector extension (install pgvector on the server to search by meaning)';
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    return undefined;
  } catch (error) {
    return `pgvector could not be enabled (${errorMessage(error)}); ask the database owner to run CREATE EXTENSION vector`;
  }
}

/** A vector as pgvector's text input: `[1,2,3]`. */
export function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(',')}]`;
}
