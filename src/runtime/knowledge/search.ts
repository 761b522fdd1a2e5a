// Hybrid passage search, ranked like memory's recall: FTS5 (bm25) and vector similarity fused by reciprocal rank.
import path from 'node:path';
import { fuse } from '../memory/index.ts';
import type { ChunkHit, KnowledgeSource, KnowledgeStore, SearchFilter } from './types.ts';
import type { Vectors } from './vectors.ts';

const CANDIDATES = 40;
/** Vector hits farther than this (cosine distance) are unrelated: not returned on similarity alone. */
const MAX_DISTANCE = 0.75;

export interface Passage extends ChunkHit {
  /** How to cite it: `handbook.pdf, p. 3` or `src/app.ts, lines 10–24`. */
  citation: string;
  /** Path relative to its source folder (the file name for a single-file source). */
  relativePath: string;
}

export interface SearchResult {
  passages: Passage[];
  mode: 'hybrid' | 'text';
  /** Why vectors were not used, when mode is `text`. */
  unavailable?: string;
}

export async function searchPassages(store: KnowledgeStore, vectors: Vectors, query: string, filter: SearchFilter, limit: number, signal?: AbortSignal): Promise<SearchResult> {
  if (!query.trim() || limit <= 0) return { passages: [], mode: 'text' };
  const text = await store.searchText(query, filter, CANDIDATES);
  const embedded = await vectors.embed([query], signal);
  const space = vectors.currentSpace;
  const near = embedded && space ? (await store.searchVector(space, embedded[0]!, filter, CANDIDATES)).filter((hit) => (hit.distance ?? 0) <= MAX_DISTANCE) : [];
  const hits = await store.getChunks(fuse([text, near]).slice(0, limit));
  const sources = new Map((await store.listSources()).map((s) => [s.id, s]));
  const passages = hits.map((hit) => withCitation(hit, sources.get(hit.sourceId)));
  return embedded ? { passages, mode: 'hybrid' } : { passages, mode: 'text', unavailable: vectors.unavailable ?? 'no embedding model' };
}

export function withCitation(hit: ChunkHit, source: KnowledgeSource | undefined): Passage {
  const relativePath = source && source.kind === 'folder' ? path.relative(source.path, hit.path).split(path.sep).join('/') : path.basename(hit.path);
  return { ...hit, relativePath, citation: citationOf(relativePath, hit) };
}

export function citationOf(file: string, where: { pageStart?: number; pageEnd?: number; lineStart?: number; lineEnd?: number }): string {
  if (where.pageStart !== undefined) return where.pageEnd !== undefined && where.pageEnd !== where.pageStart ? `${file}, pp. ${where.pageStart}–${where.pageEnd}` : `${file}, p. ${where.pageStart}`;
  if (where.lineStart !== undefined) return where.lineEnd !== undefined && where.lineEnd !== where.lineStart ? `${file}, lines ${where.lineStart}–${where.lineEnd}` : `${file}, line ${where.lineStart}`;
  return file;
}
