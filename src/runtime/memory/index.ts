// Memory: episodic log, semantic notes with hybrid recall, working context with compaction, checkpoints & resume.
export { MemoryExtension, type MemoryOptions } from './memory-extension.ts';
export { NoteDesk, type NoteChange } from './note-desk.ts';
export { createEmbedder, SpaceEmbedder, type Embedder } from './embedder.ts';
export { SqliteMemoryStore } from './sqlite/sqlite-store.ts';
export { SemanticMemory, fuse, type RecallResult } from './semantic-memory.ts';
export { MemoryStoreError, MemoryNotFoundError, NoteRejectedError } from './errors.ts';
export { TokenEstimator } from './token-estimator.ts';
export type { MemoryStore, SessionSummary, SessionStatus, Note, NewNote, NoteKind, EventQuery, Checkpoint, WorkingState, EmbeddingSpace } from './store.ts';

import type { ReinConfig } from '../config/index.ts';
import { openMemoryStore } from './open-store.ts';
import { NoteDesk as Desk, type NoteChange as Change } from './note-desk.ts';
import { SemanticMemory as Semantic } from './semantic-memory.ts';
import { createEmbedder as embedderFor } from './embedder.ts';

/** Notes managed outside a runtime (`rein memory` without a host): `report` gets every change, for the audit log. */
export async function openNoteDesk(
  config: Pick<ReinConfig, 'memory' | 'model' | 'providers' | 'policy' | 'machinePolicy'> & Partial<Pick<ReinConfig, 'secrets'>>,
  report: (change: Change) => void,
): Promise<{ desk: Desk; close: () => Promise<void> }> {
  const store = await openMemoryStore(config);
  const semantic = new Semantic(store, embedderFor(config, config.memory.embed_model));
  return { desk: new Desk(store, semantic, report, config.memory.max_note_chars), close: () => store.close() };
}

/** The memory store the config names (SQLite at memory.path, or PostgreSQL), for readers outside a runtime (`rein sessions`). */
export { openMemoryStore, splitStore, type MemoryConfig } from './open-store.ts';

// The database file and full-text query syntax, for capabilities that keep their tables in the same file (knowledge).
export { openDatabase, type Db } from './sqlite/open-database.ts';
export { ftsQuery, tsQuery, searchWords } from './search-words.ts';
/** Inverted-file helpers (spherical k-means, nearest centroids) for other vector tables. */
export { VectorIndex, type VectorTableNames } from './sqlite/vector-index.ts';
