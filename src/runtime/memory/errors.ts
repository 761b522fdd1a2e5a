import { ReinError } from '../base/index.ts';

/** The memory database cannot be opened or used; the message names the file. */
export class MemoryStoreError extends ReinError {}

/** A session id or note id that memory does not know. */
export class MemoryNotFoundError extends ReinError {}
