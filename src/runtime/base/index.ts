export { ReinError, AbortedError, TimeoutError, errorMessage, formatSeconds } from './errors.ts';
export { withTimeout, raceAbort, abortReason, sleep } from './abort.ts';
export { newId } from './ids.ts';
export { canonicalJson, sha256 } from './canonical.ts';
export { createRedactor, type Redactor } from './redact.ts';
export { cosine } from './vectors.ts';
export { privateDir, privateFile } from './private-files.ts';
