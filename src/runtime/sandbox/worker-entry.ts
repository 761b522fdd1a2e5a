import { workerScript } from '../base/index.ts';

/** The bundled worker's file name: a bundle of the runtime (e.g. out/main/index.js) ships it next to itself. */
export const BUNDLED_WORKER = 'sandbox-worker.js';

/**
 * The script a sandbox worker process runs: REIN_SANDBOX_WORKER if set (a packaged build that ships the worker
 * elsewhere); else `sandbox-worker.js` next to this code when it is bundled (electron.vite.config.ts builds it
 * from worker.ts); else `worker.ts` next to this file.
 */
export function sandboxWorkerEntry(): string {
  return workerScript({ envVar: 'REIN_SANDBOX_WORKER', bundled: BUNDLED_WORKER, source: new URL('./worker.ts', import.meta.url), from: import.meta.url });
}
