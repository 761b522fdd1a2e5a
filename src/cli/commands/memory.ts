// `rein memory`: list, search, pin, edit, delete and restore memory notes. With a host running on the data dir through
// its memory API (so the desktop app sees the change at once), else on the database — audited the same way.
import { PINNED_NOTES_LIMIT, type MemoryApi, type MemoryNote } from '../../common/index.ts';
import { ApiError } from '../../common/api/errors.ts';
import { MemoryNotFoundError, NoteRejectedError, errorMessageOf, memoryNoteOf, openAuditLog, openNoteDesk, type Note, type ReinConfig } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';

const USAGE = 'rein memory [list] | search <query> | pin <id> | unpin <id> | edit <id> <text> | delete <id> | restore <id>   (--json for list/search) | export [--out FILE] | import <archive> [--to postgres://…] [--dry-run]';
const LIST_LIMIT = 30;
const PREVIEW_CHARS = 100;

type Notes = Pick<MemoryApi, 'recentNotes' | 'searchNotes' | 'pinnedNotes' | 'pinNote' | 'editNote' | 'deleteNote' | 'restoreNote'>;

export const memory: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const [action = 'list', id, ...rest] = args;
    if (action === 'export' || action === 'import') {
      const { exportMemory, importMemory } = await import('./memory-archive.ts');
      if (action === 'export') return exportMemory(config(), typeof options.out === 'string' ? options.out : undefined, io);
      if (!id) return (io.stderr.write(`rein: which archive?\nusage: ${USAGE}\n`), ExitCode.usage);
      return importMemory(config(), id, { ...(typeof options.to === 'string' ? { to: options.to } : {}), dryRun: options['dry-run'] === true }, io);
    }
    const request = parse(action, id, rest);
    if (typeof request === 'string') {
      io.stderr.write(`rein: ${request}\nusage: ${USAGE}\n`);
      return ExitCode.usage;
    }
    const loaded = config();
    const host = await attachToHost(loaded, io);
    if (host === 'failed') return ExitCode.failed;
    if (host !== 'none') {
      try {
        return await perform(host.api.memory, request, options.json === true, io);
      } finally {
        host.close();
      }
    }
    let opened: Awaited<ReturnType<typeof inProcess>>;
    try {
      opened = await inProcess(loaded);
    } catch (error) {
      io.stderr.write(`rein: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    }
    try {
      return await perform(opened.notes, request, options.json === true, io);
    } finally {
      await opened.close();
    }
  },
};

type Request =
  | { action: 'list' }
  | { action: 'search'; query: string }
  | { action: 'pin' | 'unpin' | 'delete' | 'restore'; id: number }
  | { action: 'edit'; id: number; text: string };

function parse(action: string, id: string | undefined, rest: string[]): Request | string {
  if (action === 'list') return id === undefined ? { action } : 'list takes no arguments';
  if (action === 'search') return id ? { action, query: [id, ...rest].join(' ') } : 'search needs a query';
  if (!['pin', 'unpin', 'delete', 'restore', 'edit'].includes(action)) return `unknown memory action "${action}"`;
  const n = Number(id);
  if (!id || !Number.isInteger(n) || n <= 0) return `${action} needs a note number (rein memory lists them), got "${id ?? ''}"`;
  if (action === 'edit') return rest.length ? { action, id: n, text: rest.join(' ') } : 'edit needs the new text: rein memory edit <id> "<text>"';
  if (rest.length) return `${action} takes one note number`;
  return { action: action as 'pin' | 'unpin' | 'delete' | 'restore', id: n };
}

async function perform(notes: Notes, request: Request, json: boolean, io: CliIo): Promise<number> {
  try {
    switch (request.action) {
      case 'list': {
        const pinned = await notes.pinnedNotes();
        const ids = new Set(pinned.map((n) => n.id));
        const recent = (await notes.recentNotes(LIST_LIMIT)).filter((n) => !ids.has(n.id));
        if (json) return printJson([...pinned, ...recent], io);
        const characters = pinned.reduce((sum, n) => sum + n.text.length, 0);
        io.stdout.write(`pinned (given to the model at every run start): ${pinned.length} of ${PINNED_NOTES_LIMIT.notes} notes, ${characters} of ${PINNED_NOTES_LIMIT.characters} characters\n`);
        for (const note of pinned) io.stdout.write(`${line(note)}\n`);
        io.stdout.write(recent.length ? 'recent:\n' : 'no other notes yet\n');
        for (const note of recent) io.stdout.write(`${line(note)}\n`);
        return ExitCode.ok;
      }
      case 'search': {
        const found = await notes.searchNotes(request.query, LIST_LIMIT);
        if (json) return printJson(found, io);
        if (!found.length) io.stdout.write('no notes match\n');
        for (const note of found) io.stdout.write(`${line(note)}\n`);
        return ExitCode.ok;
      }
      case 'pin':
      case 'unpin':
        return said(io, await notes.pinNote(request.id, request.action === 'pin'), request.action === 'pin' ? 'pinned' : 'unpinned');
      case 'edit':
        return said(io, await notes.editNote(request.id, request.text), 'changed');
      case 'restore':
        return said(io, await notes.restoreNote(request.id), 'restored');
      case 'delete':
        await notes.deleteNote(request.id);
        io.stdout.write(`deleted note ${request.id}\n`);
        return ExitCode.ok;
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.stderr.write(`rein: ${error.message}\n`);
    return error.code === 'not_found' || error.code === 'bad_request' ? ExitCode.usage : ExitCode.failed;
  }
}

function said(io: CliIo, note: MemoryNote, verb: string): number {
  io.stdout.write(`${verb} ${line(note)}\n`);
  return ExitCode.ok;
}

function printJson(list: MemoryNote[], io: CliIo): number {
  for (const note of list) io.stdout.write(`${JSON.stringify(note)}\n`);
  return ExitCode.ok;
}

function line(note: MemoryNote): string {
  const text = note.text.replace(/\s+/g, ' ');
  const preview = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
  return `#${note.id}${note.pinned ? ' (pinned)' : ''}  ${note.kind} from ${note.provenance.source}  ${preview}`;
}

/** The same calls on the database, each change written to the audit log as the runtime does. */
async function inProcess(config: ReinConfig): Promise<{ notes: Notes; close: () => Promise<void> }> {
  const audit = openAuditLog(config);
  let opened: Awaited<ReturnType<typeof openNoteDesk>>;
  try {
    opened = await openNoteDesk(config, (change) => audit.record(`memory.${change.action}`, change, change.action === 'forget' ? change.sessionId : undefined));
  } catch (error) {
    audit.close();
    throw error;
  }
  const { desk } = opened;
  const notes: Notes = {
    recentNotes: async (limit) => (await desk.recent(limit ?? LIST_LIMIT)).map(memoryNoteOf),
    searchNotes: async (query, limit) => (await desk.search(query, limit ?? LIST_LIMIT)).notes.map(memoryNoteOf),
    pinnedNotes: async () => (await desk.pinned()).map(memoryNoteOf),
    pinNote: (id, pinned) => asApi(desk.pin(id, pinned)),
    editNote: (id, text) => asApi(desk.edit(id, text)),
    restoreNote: (id) => asApi(desk.restore(id)),
    deleteNote: async (id) => {
      if (!(await desk.forget(id))) throw new ApiError({ code: 'not_found', message: `no note ${id} in ${config.memory.episodic ? 'the memory database' : config.memory.path}` });
    },
  };
  return {
    notes,
    close: async () => {
      await opened.close();
      audit.close();
    },
  };
}

/** Memory's refusals as the API's errors, so both paths report alike. */
function asApi(promise: Promise<Note>): Promise<MemoryNote> {
  return promise.then(memoryNoteOf, (error: unknown) => {
    if (error instanceof MemoryNotFoundError) throw new ApiError({ code: 'not_found', message: error.message });
    if (error instanceof NoteRejectedError) throw new ApiError({ code: 'bad_request', message: error.message });
    throw error;
  });
}
