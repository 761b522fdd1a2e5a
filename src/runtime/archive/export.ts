// Memory and documents → archive records: sessions with their events and checkpoint, notes, every vector tagged with
// its space, knowledge sources, files with their passages, and their vectors. Read a page at a time.
import type { KnowledgeStore } from '../knowledge/index.ts';
import type { MemoryStore } from '../memory/index.ts';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveRecord } from './format.ts';
import { Summer } from './summary.ts';

const PAGE = 500;
const ALL = 1_000_000_000;

export async function* storeRecords(memory: MemoryStore, knowledge: KnowledgeStore | undefined): AsyncGenerator<ArchiveRecord> {
  for (const session of (await memory.listSessions(ALL)).sort((a, b) => a.id.localeCompare(b.id))) {
    const checkpoint = await memory.loadCheckpoint(session.id);
    yield { type: 'session', id: session.id, events: await memory.sessionEvents(session.id), ...(checkpoint ? { checkpoint } : {}) };
  }
  for (const note of (await memory.recentNotes(ALL)).reverse()) yield { type: 'note', note };
  for (const space of await memory.spaces()) {
    for (let after = 0; ; ) {
      const page = await memory.vectorsOf(space, after, PAGE);
      for (const { noteId, vector } of page) yield { type: 'note.vector', space: { model: space.model, dimensions: space.dimensions }, noteId, vector };
      if (page.length < PAGE) break;
      after = page.at(-1)!.noteId;
    }
  }
  if (!knowledge) return;
  for (const source of await knowledge.listSources()) {
    yield { type: 'knowledge.source', source };
    for (const file of await knowledge.listFiles(source.id)) {
      const chunks = (await knowledge.fileChunks(file.id)).map(({ fileId: _f, ...chunk }) => chunk);
      yield { type: 'knowledge.file', sourceId: source.id, file, chunks };
    }
  }
  for (const space of await knowledge.spaces()) {
    for (let after = 0; ; ) {
      const page = await knowledge.vectorsOf(space, after, PAGE);
      for (const { chunkId, vector } of page) yield { type: 'knowledge.vector', space: { model: space.model, dimensions: space.dimensions }, chunkId, vector };
      if (page.length < PAGE) break;
      after = page.at(-1)!.chunkId;
    }
  }
}

/** Writes the archive, line by line, ending with the summary; returns the summary. */
export async function exportArchive(memory: MemoryStore, knowledge: KnowledgeStore | undefined, write: (line: string) => Promise<void> | void) {
  const summer = new Summer();
  await write(JSON.stringify({ type: 'header', format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, createdAt: new Date().toISOString(), source: memory.location } satisfies ArchiveRecord));
  for await (const record of storeRecords(memory, knowledge)) {
    summer.add(record);
    await write(JSON.stringify(record));
  }
  const summary = summer.summary();
  await write(JSON.stringify({ type: 'summary', summary } satisfies ArchiveRecord));
  return summary;
}

/** What the stores hold, summed as an archive of them would be. */
export async function summarizeStores(memory: MemoryStore, knowledge: KnowledgeStore | undefined) {
  const summer = new Summer();
  for await (const record of storeRecords(memory, knowledge)) summer.add(record);
  return summer.summary();
}
