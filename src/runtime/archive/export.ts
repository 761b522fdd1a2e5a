// Memory, documents and the schedule ledger → archive records: sessions with their events and checkpoint, notes,
// every vector tagged with its space, knowledge sources, files with their passages, and their vectors; added
// schedules, each schedule's progress and its ledger entries. Read a page at a time.
import type { KnowledgeStore } from '../knowledge/index.ts';
import type { MemoryStore } from '../memory/index.ts';
import type { ScheduleLedger, SlotRecord } from '../schedules/index.ts';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchivedSlot, type ArchiveRecord } from './format.ts';
import { Summer } from './summary.ts';

const PAGE = 500;
const ALL = 1_000_000_000;

/** The stores an archive is made of (knowledge and the schedule ledger when there are). */
export interface ArchiveStores {
  memory: MemoryStore;
  knowledge?: KnowledgeStore | undefined;
  schedules?: ScheduleLedger | undefined;
}

export async function* storeRecords({ memory, knowledge, schedules }: ArchiveStores): AsyncGenerator<ArchiveRecord> {
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
  if (schedules) yield* scheduleRecords(schedules);
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

/**
 * The ledger: added schedules, progress, and every entry oldest first. A slot still due or running is archived as
 * missed, saying so: the archive is a picture of the past, and the target's scheduler decides what comes next.
 */
async function* scheduleRecords(ledger: ScheduleLedger): AsyncGenerator<ArchiveRecord> {
  for (const schedule of await ledger.added()) yield { type: 'schedule.added', schedule };
  for (const state of await ledger.states()) yield { type: 'schedule.state', state };
  for (const slot of (await ledger.history(undefined, ALL)).reverse()) yield { type: 'schedule.slot', slot: archivedSlot(slot) };
}

function archivedSlot(slot: SlotRecord): ArchivedSlot {
  const { schedule, dueAt, status, trigger, reason, runId, startedAt, endedAt } = slot;
  const open = status === 'due' || status === 'started';
  const note = open ? `${status === 'due' ? 'still due' : 'running'} when the archive was made (rein memory export): not run again from the archive` : undefined;
  return {
    schedule,
    dueAt,
    status: open ? 'missed' : status,
    trigger,
    ...(reason || note ? { reason: [reason, note].filter(Boolean).join('; ') } : {}),
    ...(runId ? { runId } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(endedAt !== undefined ? { endedAt } : open ? { endedAt: startedAt ?? dueAt } : {}),
  };
}

/** Writes the archive, line by line, ending with the summary; returns the summary. */
export async function exportArchive(stores: ArchiveStores, write: (line: string) => Promise<void> | void) {
  const summer = new Summer();
  await write(JSON.stringify({ type: 'header', format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, createdAt: new Date().toISOString(), source: stores.memory.location } satisfies ArchiveRecord));
  for await (const record of storeRecords(stores)) {
    summer.add(record);
    await write(JSON.stringify(record));
  }
  const summary = summer.summary();
  await write(JSON.stringify({ type: 'summary', summary } satisfies ArchiveRecord));
  return summary;
}

/** What the stores hold, summed as an archive of them would be. */
export async function summarizeStores(stores: ArchiveStores) {
  const summer = new Summer();
  for await (const record of storeRecords(stores)) summer.add(record);
  return summer.summary();
}
