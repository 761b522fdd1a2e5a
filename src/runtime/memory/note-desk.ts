// Every change to a note goes through here, so each is reported once for the audit log: notes written (by the agent,
// compaction, a finished session or the user), deleted, restored, edited, pinned and unpinned. Used by the runtime's
// memory capability and, without a runtime, by `rein memory`.
import { MemoryNotFoundError } from './errors.ts';
import { RecentlyDeleted, checkNoteSize, checkPinnedBound, noteText } from './note-edits.ts';
import type { RecallResult, SemanticMemory } from './semantic-memory.ts';
import type { MemoryStore, NewNote, Note } from './store.ts';

/** A note written, changed or deleted, for the audit log (linked in extensions.ts, so memory does not depend on audit). */
export type NoteChange =
  | { action: 'remember'; note: Note }
  | { action: 'forget'; id: number; removed: boolean; sessionId?: string }
  | { action: 'edit'; note: Note; previous: string }
  | { action: 'pin' | 'unpin'; note: Note }
  | { action: 'restore'; note: Note };

/** Default of `memory.max_note_chars`. */
export const MAX_NOTE_CHARS = 20_000;

export class NoteDesk {
  private readonly deleted: RecentlyDeleted;
  private readonly store: MemoryStore;
  private readonly semantic: SemanticMemory;
  private readonly report: (change: NoteChange) => void;
  private readonly maxNoteChars: number;

  constructor(store: MemoryStore, semantic: SemanticMemory, report: (change: NoteChange) => void, maxNoteChars = MAX_NOTE_CHARS) {
    this.store = store;
    this.semantic = semantic;
    this.report = report;
    this.maxNoteChars = maxNoteChars;
    this.deleted = new RecentlyDeleted(store);
  }

  async note(id: number): Promise<Note> {
    const [note] = await this.store.getNotes([id]);
    if (!note) throw new MemoryNotFoundError(`no note ${id} in ${this.store.location}`);
    return note;
  }

  recent(limit: number): Promise<Note[]> {
    return this.store.recentNotes(limit);
  }

  search(query: string, limit: number): Promise<RecallResult> {
    return this.semantic.recall(query, limit);
  }

  pinned(): Promise<Note[]> {
    return this.store.pinnedNotes();
  }

  async write(note: NewNote, signal?: AbortSignal): Promise<Note> {
    // What the agent and the user write is bounded; summaries are bounded by how they are made.
    if (note.source === 'remember' || note.source === 'user') checkNoteSize(note.content, this.maxNoteChars);
    const saved = await this.semantic.remember(note, signal);
    this.report({ action: 'remember', note: saved });
    return saved;
  }

  async forget(id: number, sessionId?: string): Promise<boolean> {
    const [note] = await this.store.getNotes([id]);
    const removed = await this.semantic.forget(id);
    if (removed && note) await this.deleted.keep(note);
    this.report({ action: 'forget', id, removed, ...(sessionId ? { sessionId } : {}) });
    return removed;
  }

  /** A note deleted a short while ago (by anyone, in any process) back under its id. */
  async restore(id: number): Promise<Note> {
    const note = await this.deleted.take(id);
    if (!note) throw new MemoryNotFoundError(`note ${id} cannot be restored: only notes deleted in the last 10 minutes can be`);
    const restored = await this.semantic.restore(note);
    this.report({ action: 'restore', note: restored });
    return restored;
  }

  async edit(id: number, text: string): Promise<Note> {
    const content = noteText(text, this.maxNoteChars);
    const before = await this.note(id);
    if (before.pinnedAt) checkPinnedBound(await this.store.pinnedNotes(), { id, content }, 'change');
    const note = await this.semantic.edit(id, content);
    if (!note) throw new MemoryNotFoundError(`no note ${id} in ${this.store.location}`);
    this.report({ action: 'edit', note, previous: before.content });
    return note;
  }

  async pin(id: number, pinned: boolean): Promise<Note> {
    const before = await this.note(id);
    if (pinned && !before.pinnedAt) checkPinnedBound(await this.store.pinnedNotes(), before, 'pin');
    const note = await this.store.setPinned(id, pinned);
    if (!note) throw new MemoryNotFoundError(`no note ${id} in ${this.store.location}`);
    if (Boolean(before.pinnedAt) !== pinned) this.report({ action: pinned ? 'pin' : 'unpin', note });
    return note;
  }
}
