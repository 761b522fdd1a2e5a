// The memory section over MemoryExtension: notes by hybrid recall, sessions of every process sharing the memory
// database (a session logged as running that no live run continues is `interrupted`), and each session's event log.
import type { MemoryApi, MemoryNote, MemorySession } from '../../../common/index.ts';
import { MemoryNotFoundError, NoteRejectedError, type MemoryExtension, type Note, type SessionSummary } from '../../memory/index.ts';
import { ApiArgumentError, ApiNotFoundError } from '../errors.ts';

const SEARCH_LIMIT = 20;

export function memoryService(memory: MemoryExtension, isLive: (runId: string) => boolean): MemoryApi {
  return {
    searchNotes: async (query, limit = SEARCH_LIMIT) => (await memory.recall(query, limit)).notes.map(noteOf),
    deleteSession: async (sessionId) => {
      if (isLive(sessionId)) throw new ApiArgumentError(`session ${sessionId} is still running`);
      if (!(await memory.deleteSession(sessionId))) throw new ApiNotFoundError(`no session ${sessionId}`);
    },
    recentNotes: async (limit = SEARCH_LIMIT) => (await memory.recentNotes(limit)).map(noteOf),
    getNote: (id) => found(memory.note(id).then(noteOf)),
    deleteNote: async (id) => {
      if (!(await memory.forget(id))) throw new ApiNotFoundError(`no note ${id}`);
    },
    restoreNote: (id) => found(memory.restore(id).then(noteOf)),
    editNote: (id, text) => found(memory.edit(id, text).then(noteOf)),
    pinNote: (id, pinned) => found(memory.pin(id, pinned).then(noteOf)),
    pinnedNotes: async () => (await memory.pinnedNotes()).map(noteOf),
    sessions: async () => (await memory.listSessions()).map((s) => sessionOf(s, isLive(s.id))),
    episodes: (sessionId) => found(memory.sessionEvents(sessionId)),
  };
}

/** A memory note as the API shows it (also the CLI's in-process `rein memory`). */
export function noteOf(note: Note): MemoryNote {
  const { id, content, kind, source, sessionId, step, createdAt, lastUsedAt, pinnedAt } = note;
  return {
    id,
    text: content,
    kind,
    provenance: { source, ...(sessionId ? { sessionId } : {}), ...(step !== undefined ? { step } : {}) },
    createdAt,
    ...(lastUsedAt ? { lastUsedAt } : {}),
    pinned: Boolean(pinnedAt),
  };
}

function sessionOf(session: SessionSummary, live: boolean): MemorySession {
  const { id, title, goal, status, model, createdAt, updatedAt, steps, usage, conversationId } = session;
  return {
    id,
    title,
    goal,
    status: status === 'running' && !live ? 'interrupted' : status,
    ...(model ? { model } : {}),
    startedAt: createdAt,
    updatedAt,
    steps,
    usage,
    ...(conversationId ? { conversationId } : {}),
  };
}

/** Memory's not-found becomes the API's `not_found`; a refused note change, a bad argument with its reason. */
function found<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    if (error instanceof NoteRejectedError) throw new ApiArgumentError(error.message);
    throw error instanceof MemoryNotFoundError ? new ApiNotFoundError(error.message) : error;
  });
}
