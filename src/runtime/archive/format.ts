// The Rein archive: one JSON record per line (JSONL), versioned. The same file is a desktop user's backup and the
// way to move a data dir's memory and documents to another store (SQLite → PostgreSQL). Each vector is tagged with
// its embedding space (model and dimensions); the last line sums up counts and checksums to compare after import.
import type { RunEvent } from '../../common/index.ts';
import type { KnowledgeFile, KnowledgeSource } from '../knowledge/index.ts';
import type { Checkpoint, Note } from '../memory/index.ts';

export const ARCHIVE_FORMAT = 'rein-archive';
export const ARCHIVE_VERSION = 1;

export interface SpaceTag {
  model: string;
  dimensions: number;
}

export interface ArchivedChunk {
  id: number;
  seq: number;
  text: string;
  hash: string;
  headings: string[];
  pageStart?: number;
  pageEnd?: number;
  lineStart?: number;
  lineEnd?: number;
}

export type ArchiveRecord =
  | { type: 'header'; format: typeof ARCHIVE_FORMAT; version: number; createdAt: string; source: string }
  | { type: 'session'; id: string; events: RunEvent[]; checkpoint?: Checkpoint }
  | { type: 'note'; note: Note }
  | { type: 'note.vector'; space: SpaceTag; noteId: number; vector: number[] }
  | { type: 'knowledge.source'; source: KnowledgeSource }
  | { type: 'knowledge.file'; sourceId: number; file: KnowledgeFile; chunks: ArchivedChunk[] }
  | { type: 'knowledge.vector'; space: SpaceTag; chunkId: number; vector: number[] }
  | { type: 'summary'; summary: ArchiveSummary };

/** What an archive (or a store) holds: counts, and a checksum per kind of record (content only, not ids a store assigns). */
export interface ArchiveSummary {
  counts: Record<string, number>;
  checksums: Record<string, string>;
}

export class ArchiveError extends Error {}
