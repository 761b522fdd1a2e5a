import { ReinError } from '../base/index.ts';

/** The memory database cannot be opened or used; the message names the file. */
export class MemoryStoreError extends ReinError {}

/** A session id or note id that memory does not know. */
export class MemoryNotFoundError extends ReinError {}

/** A note change the user asked for that cannot be made (empty text, past the pinned bound); the message says why. */
export class NoteRejectedError extends ReinError {}
