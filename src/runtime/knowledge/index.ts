// Knowledge: the user's own documents and folders, indexed offline (FTS5 + sqlite-vec in memory's database),
// searched by the agent with citations (search_knowledge, read_document).
export { KnowledgeExtension } from './knowledge-extension.ts';
export { AttachmentUploads, safeFileName, UPLOAD_CHUNK_BYTES } from './uploads.ts';
export { KnowledgeBase, type SourceSpec, type Scope } from './knowledge-base.ts';
export { SqliteKnowledgeStore } from './sqlite/sqlite-knowledge-store.ts';
export { KnowledgeError, KnowledgeAccessError, KnowledgeNotFoundError } from './errors.ts';
export { citationOf, type Passage, type SearchResult } from './search.ts';
export { locate } from './preview.ts';
export type { IngestProgress } from './ingest.ts';
export type { KnowledgeStore, KnowledgeSource, KnowledgeFile, FileState, Chunk } from './types.ts';

import type { ReinConfig } from '../config/index.ts';
import { createEmbedder } from '../memory/index.ts';
import { KnowledgeBase } from './knowledge-base.ts';
import { openKnowledgeStore } from './open-store.ts';

export { openKnowledgeStore, knowledgeServer } from './open-store.ts';

/** The knowledge base the config names, for users outside a runtime (`rein knowledge`). */
export async function openKnowledgeBase(config: ReinConfig): Promise<KnowledgeBase> {
  return new KnowledgeBase(await openKnowledgeStore(config), config.knowledge, createEmbedder(config, config.memory.embed_model));
}
