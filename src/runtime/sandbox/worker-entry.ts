import { fileURLToPath } from 'node:url';

/**
 * The script a sandbox worker process runs: `worker.ts` next to this file, or REIN_SANDBOX_WORKER (for a bundled
 * or packaged build that ships the worker elsewhere). Run with Node ≥ 24 (it strips the types) or bundle it.
 */
export function sandboxWorkerEntry(): string {
  return process.env.REIN_SANDBOX_WORKER || fileURLToPath(new URL('./worker.ts', import.meta.url));
}
