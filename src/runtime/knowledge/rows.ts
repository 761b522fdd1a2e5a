// Knowledge rows as both stores read them back (SQLite and PostgreSQL share the column names; PostgreSQL returns
// BIGINT counts and sizes as strings, hence Number()).
import type { Chunk, KnowledgeFile, KnowledgeSource } from './types.ts';

export interface SourceRow { id: number; path: string; kind: 'folder' | 'file'; include: string; exclude: string; conversation_id: string | null; origin: KnowledgeSource['origin']; created_at: string }
export interface FileRow { id: number; source_id: number; path: string; size: number | string; mtime_ms: number; hash: string | null; state: KnowledgeFile['state']; reason: string | null; updated_at: string; chunks?: number | string }
export interface ChunkRow { id: number; file_id: number; seq: number; text: string; hash: string; headings: string; page_start: number | null; page_end: number | null; line_start: number | null; line_end: number | null; path?: string; source_id?: number }

export function toSource(row: SourceRow): KnowledgeSource {
  return {
    id: row.id,
    path: row.path,
    kind: row.kind,
    include: JSON.parse(row.include) as string[],
    exclude: JSON.parse(row.exclude) as string[],
    ...(row.conversation_id ? { conversationId: row.conversation_id } : {}),
    origin: row.origin,
    createdAt: row.created_at,
  };
}

export function toFile(row: FileRow): KnowledgeFile {
  return {
    id: row.id,
    sourceId: row.source_id,
    path: row.path,
    size: Number(row.size),
    mtimeMs: row.mtime_ms,
    ...(row.hash ? { hash: row.hash } : {}),
    state: row.state,
    ...(row.reason ? { reason: row.reason } : {}),
    chunks: Number(row.chunks ?? 0),
    updatedAt: row.updated_at,
  };
}

export function toChunk(row: ChunkRow): Chunk {
  return {
    id: row.id,
    fileId: row.file_id,
    seq: row.seq,
    text: row.text,
    hash: row.hash,
    headings: JSON.parse(row.headings) as string[],
    ...(row.page_start !== null ? { pageStart: row.page_start } : {}),
    ...(row.page_end !== null ? { pageEnd: row.page_end } : {}),
    ...(row.line_start !== null ? { lineStart: row.line_start } : {}),
    ...(row.line_end !== null ? { lineEnd: row.line_end } : {}),
  };
}
