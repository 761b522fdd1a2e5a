import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bundled worker's file name: a bundle of the runtime (e.g. out/main/index.js) ships it next to itself. */
export const BUNDLED_WORKER = 'sandbox-worker.js';

/**
 * The script a sandbox worker process runs: REIN_SANDBOX_WORKER if set (a packaged build that ships the worker
 * elsewhere); else `sandbox-worker.js` next to this code when it is bundled (electron.vite.config.ts builds it
 * from worker.ts); else `worker.ts` next to this file (Node ≥ 24 strips its types).
 */
export function sandboxWorkerEntry(): string {
  if (process.env.REIN_SANDBOX_WORKER) return process.env.REIN_SANDBOX_WORKER;
  // `../` too: a bundler may put this code in a chunk folder below the entry.
  const bundled = [`./${BUNDLED_WORKER}`, `../${BUNDLED_WORKER}`].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return bundled.find((file) => fs.existsSync(file)) ?? fileURLToPath(new URL('./worker.ts', import.meta.url));
}
