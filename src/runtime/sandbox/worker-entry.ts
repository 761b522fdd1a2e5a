import { workerEntry } from '../workers/index.ts';

/** The bundled worker's file name: a bundle of the runtime (e.g. out/cli/main.js) ships it next to itself. */
export const BUNDLED_WORKER = 'sandbox-worker.js';

/** The script a sandbox worker process runs: REIN_SANDBOX_WORKER, else the bundled worker, else worker.ts. */
export function sandboxWorkerEntry(): string {
  return workerEntry({ envVar: 'REIN_SANDBOX_WORKER', bundled: BUNDLED_WORKER, source: './worker.ts', from: import.meta.url });
}
