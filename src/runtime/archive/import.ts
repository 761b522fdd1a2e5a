// An archive → stores (any backend). The target must be empty. Note ids, session ids, times and pins are kept;
// knowledge gets the ids its store gives (vectors follow their passages). Vectors of the target's embedding model
// are loaded as they are; vectors of another model are left out, and those notes and passages are embedded again
// by the target's model (memory's and knowledge's backfill at the next start). `dryRun` reads and checks only.
import type { KnowledgeStore } from '../knowledge/index.ts';
import type { MemoryStore, Note } from '../memory/index.ts';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, ArchiveError, type ArchiveRecord, type ArchiveSummary, type SpaceTag } from './format.ts';
import { Summer } from './summary.ts';

const BATCH = 200;

export interface ImportReport {
  /** What the archive says it holds (its last line). */
  expected: ArchiveSummary;
  /** What was read from it. */
  read: ArchiveSummary;
  /** Vectors kept / left out for re-embedding, by space. */
  vectorsKept: number;
  vectorsToReembed: number;
}

export interface ImportTarget {
  memory: MemoryStore;
  knowledge?: KnowledgeStore;
  /** The target's embedding model (memory.embed_model): only its vectors are loaded. */
  embedModel: string;
}

export async function importArchive(lines: AsyncIterable<string>, target: ImportTarget | undefined): Promise<ImportReport> {
  if (target) await mustBeEmpty(target);
  const summer = new Summer();
  let header = false;
  let expected: ArchiveSummary | undefined;
  let lineNo = 0;
  let kept = 0;
  let reembed = 0;
  const notes: Note[] = [];
  const sourceIds = new Map<number, number>();
  const chunkIds = new Map<number, number>();
  const pending = { notes: new Map<string, { space: SpaceTag; items: { noteId: number; vector: number[] }[] }>(), chunks: new Map<string, { space: SpaceTag; items: { chunkId: number; vector: number[] }[] }>() };
  const sameModel = (space: SpaceTag) => target !== undefined && (space.model === target.embedModel || space.model.replace(/:latest$/, '') === target.embedModel.replace(/:latest$/, ''));
  const flushNotes = async (key: string) => {
    const batch = pending.notes.get(key);
    if (!batch?.items.length || !target) return;
    const space = await target.memory.ensureSpace(batch.space.model, batch.space.dimensions);
    await target.memory.setEmbeddings(space, batch.items.splice(0));
  };
  const flushChunks = async (key: string) => {
    const batch = pending.chunks.get(key);
    if (!batch?.items.length || !target?.knowledge) return;
    const space = await target.knowledge.ensureSpace(batch.space.model, batch.space.dimensions);
    await target.knowledge.setVectors(space, batch.items.splice(0));
  };

  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let record: ArchiveRecord;
    try {
      record = JSON.parse(line) as ArchiveRecord;
    } catch {
      throw new ArchiveError(`line ${lineNo} is not JSON (a truncated or damaged archive?)`);
    }
    if (!header) {
      if (record.type !== 'header' || record.format !== ARCHIVE_FORMAT) throw new ArchiveError('not a Rein archive (its first line is not a rein-archive header)');
      if (record.version > ARCHIVE_VERSION) throw new ArchiveError(`archive version ${record.version} is newer than this Rein understands (${ARCHIVE_VERSION}); update Rein`);
      header = true;
      continue;
    }
    if (record.type === 'summary') {
      expected = record.summary;
      continue;
    }
    summer.add(record);
    if (record.type === 'note.vector' || record.type === 'knowledge.vector') {
      if (!sameModel(record.space)) {
        reembed++;
        continue;
      }
      kept++;
    }
    if (!target) continue;
    switch (record.type) {
      case 'session':
        for (const event of record.events) await target.memory.appendEvent(event);
        if (record.checkpoint) await target.memory.saveCheckpoint(record.checkpoint);
        break;
      case 'note':
        notes.push(record.note);
        if (notes.length >= BATCH) await target.memory.importNotes(notes.splice(0));
        break;
      case 'note.vector': {
        if (notes.length) await target.memory.importNotes(notes.splice(0));
        const key = `${record.space.model}\n${record.space.dimensions}`;
        const batch = pending.notes.get(key) ?? { space: record.space, items: [] };
        pending.notes.set(key, batch);
        batch.items.push({ noteId: record.noteId, vector: record.vector });
        if (batch.items.length >= BATCH) await flushNotes(key);
        break;
      }
      case 'knowledge.source': {
        if (!target.knowledge) break;
        const { id, createdAt: _at, ...source } = record.source;
        sourceIds.set(id, (await target.knowledge.addSource(source)).id);
        break;
      }
      case 'knowledge.file': {
        const sourceId = sourceIds.get(record.sourceId);
        if (!target.knowledge || sourceId === undefined) break;
        const { file } = record;
        const row = await target.knowledge.setFileState(sourceId, { path: file.path, size: file.size, mtimeMs: file.mtimeMs, state: file.state === 'indexed' ? 'pending' : file.state, ...(file.reason ? { reason: file.reason } : {}) });
        if (file.state !== 'indexed' || !file.hash) break;
        const { added } = await target.knowledge.replaceChunks(row.id, file.hash, record.chunks.map(({ id: _id, seq: _seq, ...chunk }) => chunk));
        const fresh = await target.knowledge.fileChunks(row.id);
        const bySeq = new Map(fresh.map((c) => [c.seq, c.id]));
        record.chunks.forEach((chunk, i) => chunkIds.set(chunk.id, bySeq.get(i) ?? added[i]!));
        break;
      }
      case 'knowledge.vector': {
        const chunkId = chunkIds.get(record.chunkId);
        if (chunkId === undefined) break;
        const key = `${record.space.model}\n${record.space.dimensions}`;
        const batch = pending.chunks.get(key) ?? { space: record.space, items: [] };
        pending.chunks.set(key, batch);
        batch.items.push({ chunkId, vector: record.vector });
        if (batch.items.length >= BATCH) await flushChunks(key);
        break;
      }
    }
  }
  if (target && notes.length) await target.memory.importNotes(notes.splice(0));
  for (const key of pending.notes.keys()) await flushNotes(key);
  for (const key of pending.chunks.keys()) await flushChunks(key);
  if (!header) throw new ArchiveError('the archive is empty');
  if (!expected) throw new ArchiveError('the archive has no summary line: it was cut short (export again)');
  return { expected, read: summer.summary(), vectorsKept: kept, vectorsToReembed: reembed };
}

async function mustBeEmpty(target: ImportTarget): Promise<void> {
  const sessions = await target.memory.listSessions(1);
  const notes = await target.memory.recentNotes(1);
  const sources = target.knowledge ? await target.knowledge.listSources() : [];
  if (sessions.length || notes.length || sources.length) {
    throw new ArchiveError(`${target.memory.location} already holds memory (sessions, notes or document sources): import into an empty database`);
  }
}

/** Kinds whose count or checksum differ between two summaries (vectors left out for re-embedding excepted). */
export function differences(expected: ArchiveSummary, actual: ArchiveSummary, skip: (kind: string) => boolean = () => false): string[] {
  const kinds = new Set([...Object.keys(expected.counts), ...Object.keys(actual.counts)]);
  return [...kinds].filter((kind) => !skip(kind)).flatMap((kind) => {
    const [a, b] = [expected.counts[kind] ?? 0, actual.counts[kind] ?? 0];
    if (a !== b) return [`${kind}: ${a} in the archive, ${b} here`];
    return expected.checksums[kind] === actual.checksums[kind] ? [] : [`${kind}: same count (${a}), different content`];
  });
}
