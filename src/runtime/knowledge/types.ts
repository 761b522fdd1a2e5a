// What knowledge keeps: sources (folders or files the user granted), their files with a status, and the passages
// (chunks) cut from each file, with where they came from (page or line range, heading path).

export type SourceOrigin = 'config' | 'user';

export interface KnowledgeSource {
  id: number;
  /** Absolute path of the folder or file. */
  path: string;
  kind: 'folder' | 'file';
  include: string[];
  exclude: string[];
  /** Attached to one conversation only (its first run's id); absent = every run may use it. */
  conversationId?: string;
  origin: SourceOrigin;
  createdAt: string;
}

export type NewSource = Omit<KnowledgeSource, 'id' | 'createdAt'>;

export type FileState = 'pending' | 'indexed' | 'skipped' | 'failed';

export interface KnowledgeFile {
  id: number;
  sourceId: number;
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes that were indexed. */
  hash?: string;
  state: FileState;
  /** Why it was skipped or failed. */
  reason?: string;
  chunks: number;
  updatedAt: string;
}

/** Where a passage sits in its file: pages for paged formats, lines for text. */
export interface Location {
  pageStart?: number;
  pageEnd?: number;
  lineStart?: number;
  lineEnd?: number;
  /** Headings above the passage, outermost first. */
  headings: string[];
}

export interface ChunkInput extends Location {
  text: string;
  /** sha256 of text: unchanged passages keep their row and vector when a file is re-indexed. */
  hash: string;
}

export interface Chunk extends ChunkInput {
  id: number;
  fileId: number;
  seq: number;
}

export interface ChunkHit extends Chunk {
  path: string;
  sourceId: number;
}

export interface Ranked {
  id: number;
  rank: number;
  distance?: number;
}

export interface SearchFilter {
  /** Only these sources (default: all the caller may see). */
  sourceIds?: number[];
  /** Only files whose path contains this text (case-insensitive), e.g. a file name. */
  file?: string;
}

export interface VectorSpace {
  id: number;
  model: string;
  dimensions: number;
}

/** The knowledge index. SQLite now (in memory's database); the async shape leaves room for a server backend. */
export interface KnowledgeStore {
  readonly location: string;
  /** Said once at start when the store works with less than usual (e.g. no vector search on the server). */
  readonly notice?: string;
  addSource(source: NewSource): Promise<KnowledgeSource>;
  listSources(): Promise<KnowledgeSource[]>;
  removeSource(id: number): Promise<boolean>;
  listFiles(sourceId: number): Promise<KnowledgeFile[]>;
  getFile(sourceId: number, path: string): Promise<KnowledgeFile | undefined>;
  /** Records a file's status; `pending` before parsing, so a crash mid-file re-indexes it on the next start. */
  /** `hash` of a skipped or failed file: the same content is not parsed again. */
  setFileState(sourceId: number, file: Pick<KnowledgeFile, 'path' | 'size' | 'mtimeMs' | 'state'> & { reason?: string; hash?: string }): Promise<KnowledgeFile>;
  /** Replaces a file's passages: unchanged ones (same hash) keep their id and vector; returns ids needing a vector. */
  replaceChunks(fileId: number, hash: string, chunks: ChunkInput[]): Promise<{ added: number[]; kept: number }>;
  removeFile(fileId: number): Promise<void>;
  getChunks(ids: number[]): Promise<ChunkHit[]>;
  fileChunks(fileId: number): Promise<Chunk[]>;
  searchText(query: string, filter: SearchFilter, limit: number): Promise<Ranked[]>;
  ensureSpace(model: string, dimensions: number): Promise<VectorSpace>;
  setVectors(space: VectorSpace, vectors: { chunkId: number; vector: number[] }[]): Promise<void>;
  chunksWithoutVector(space: VectorSpace, limit: number): Promise<Chunk[]>;
  searchVector(space: VectorSpace, vector: number[], filter: SearchFilter, limit: number): Promise<Ranked[]>;
  counts(): Promise<{ chunks: number; files: number }>;
  /** Every vector space (for export). */
  spaces(): Promise<VectorSpace[]>;
  /** The vectors of a space, in passage id order, a page at a time (for export). */
  vectorsOf(space: VectorSpace, afterChunkId: number, limit: number): Promise<{ chunkId: number; vector: number[] }[]>;
  close(): Promise<void>;
}
