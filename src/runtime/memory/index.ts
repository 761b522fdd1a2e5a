// Memory: episodic log, semantic notes with hybrid recall, working context with compaction, checkpoints & resume.
export { MemoryExtension, type MemoryOptions } from './memory-extension.ts';
export { NoteDesk, type NoteChange } from './note-desk.ts';
export { createEmbedder, SpaceEmbedder, type Embedder } from './embedder.ts';
export { SqliteMemoryStore } from './sqlite/sqlite-store.ts';
export { SemanticMemory, fuse, type RecallResult } from './semantic-memory.ts';
export { MemoryStoreError, MemoryNotFoundError, NoteRejectedError } from './errors.ts';
export { TokenEstimator } from './token-estimator.ts';
export type { MemoryStore, SessionSummary, SessionStatus, Note, NewNote, NoteKind, EventQuery, Checkpoint, WorkingState, EmbeddingSpace } from './store.ts';

import { createRedactor } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { MemoryStore } from './store.ts';
import { SqliteMemoryStore } from './sqlite/sqlite-store.ts';
import { NoteDesk as Desk, type NoteChange as Change } from './note-desk.ts';
import { SemanticMemory as Semantic } from './semantic-memory.ts';
import { createEmbedder as embedderFor } from './embedder.ts';

/** Notes managed outside a runtime (`rein memory` without a host): `report` gets every change, for the audit log. */
export function openNoteDesk(
  config: Pick<ReinConfig, 'memory' | 'model' | 'providers' | 'policy' | 'machinePolicy'> & Partial<Pick<ReinConfig, 'secrets'>>,
  report: (change: Change) => void,
): { desk: Desk; close: () => Promise<void> } {
  const store = openMemoryStore(config);
  const semantic = new Semantic(store, embedderFor(config, config.memory.embed_model));
  return { desk: new Desk(store, semantic, report, config.memory.max_note_chars), close: () => store.close() };
}

/** The memory database at memory.path, for readers outside a runtime (e.g. `rein sessions`). */
export function openMemoryStore(config: Pick<ReinConfig, 'memory'> & Partial<Pick<ReinConfig, 'secrets'>>): MemoryStore {
  return new SqliteMemoryStore(config.memory.path, createRedactor(config.secrets ?? []));
}

// The database file and full-text query syntax, for capabilities that keep their tables in the same file (knowledge).
export { openDatabase, type Db } from './sqlite/open-database.ts';
export { ftsQuery } from './sqlite/semantic.ts';
/** Inverted-file helpers (spherical k-means, nearest centroids) for other vector tables. */
export { VectorIndex, type VectorTableNames } from './sqlite/vector-index.ts';
