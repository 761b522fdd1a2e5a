export { ReinError, AbortedError, TimeoutError, errorMessage, formatSeconds } from './errors.ts';
export { withTimeout, raceAbort, abortReason, sleep } from './abort.ts';
export { newId } from './ids.ts';
