import { ReinError } from '../base/index.ts';

/** The knowledge index cannot be used; the message names the file. */
export class KnowledgeError extends ReinError {}

/** A path outside every granted source. */
export class KnowledgeAccessError extends ReinError {}

/** A source id or file that knowledge does not know. */
export class KnowledgeNotFoundError extends ReinError {}
