// What the user does to notes besides writing them: pins (bounded, since every run's system prompt carries them),
// edits, and undoing a delete for a while.
import { PINNED_NOTES_LIMIT } from '../../common/index.ts';
import { NoteRejectedError } from './errors.ts';
import type { MemoryStore, Note } from './store.ts';

/** How long a deleted note can be restored (the panel offers undo for a few seconds). */
const RESTORABLE_MS = 10 * 60_000;
const RESTORABLE_COUNT = 100;

/** Throws when `pinned` (with `note` in it, pinned or with new text) would pass the bound on pinned notes. */
export function checkPinnedBound(pinned: readonly Note[], note: Pick<Note, 'id' | 'content'>, verb: string): void {
  const others = pinned.filter((n) => n.id !== note.id);
  const { notes, characters } = PINNED_NOTES_LIMIT;
  if (others.length + 1 > notes) {
    throw new NoteRejectedError(`cannot ${verb} note ${note.id}: ${others.length} notes are pinned already, the most the model is given at every run start is ${notes} — unpin one first`);
  }
  const total = others.reduce((sum, n) => sum + n.content.length, 0) + note.content.length;
  if (total > characters) {
    throw new NoteRejectedError(
      `cannot ${verb} note ${note.id}: pinned notes would total ${total} characters, over the ${characters} the model is given at every run start — shorten it or unpin another note`,
    );
  }
}

/** The pinned notes that fit the bound, in pin order, and how many did not (written by another process, say). */
export function fitPinned(pinned: readonly Note[]): { notes: Note[]; left: number } {
  const notes: Note[] = [];
  let characters = 0;
  for (const note of pinned) {
    if (notes.length >= PINNED_NOTES_LIMIT.notes || characters + note.content.length > PINNED_NOTES_LIMIT.characters) break;
    notes.push(note);
    characters += note.content.length;
  }
  return { notes, left: pinned.length - notes.length };
}

export function leftOutNotice(left: number): string {
  const { notes, characters } = PINNED_NOTES_LIMIT;
  return `${left} pinned note${left === 1 ? ' was' : 's were'} left out: the model is given at most ${notes} pinned notes of ${characters} characters in all (unpin some in the Memory panel)`;
}

export function noteText(text: string, maxChars: number): string {
  const trimmed = text.trim();
  if (!trimmed) throw new NoteRejectedError('a note needs some text (delete it instead)');
  checkNoteSize(trimmed, maxChars);
  return trimmed;
}

/** Notes are facts, not documents: past `memory.max_note_chars` a note is refused, saying so. */
export function checkNoteSize(text: string, maxChars: number): void {
  if (text.length <= maxChars) return;
  throw new NoteRejectedError(
    `the note is ${text.length.toLocaleString('en-US')} characters, over the limit of ${maxChars.toLocaleString('en-US')} (memory.max_note_chars): save a short, self-contained fact instead (knowledge sources are for documents)`,
  );
}

/** Notes deleted recently, kept in the memory database, so a delete can be undone — from any process. */
export class RecentlyDeleted {
  private readonly store: MemoryStore;

  constructor(store: MemoryStore) {
    this.store = store;
  }

  keep(note: Note): Promise<void> {
    return this.store.keepDeleted(note, Date.now() - RESTORABLE_MS, RESTORABLE_COUNT);
  }

  take(id: number): Promise<Note | undefined> {
    return this.store.takeDeleted(id, Date.now() - RESTORABLE_MS);
  }
}
