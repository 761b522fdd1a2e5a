import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The script a worker process runs: `$envVar` if set (a packaged build that ships it elsewhere); else `bundled`
 * (e.g. `sandbox-worker.js`) next to the calling code when it is bundled (scripts/build-cli.mjs builds it); else
 * the TypeScript `source` (Node ≥ 24 strips its types). `from`: the caller's import.meta.url.
 */
export function workerEntry(options: { envVar: string; bundled: string; source: string; from: string }): string {
  const override = process.env[options.envVar];
  if (override) return override;
  // `../` too: a bundler may put the caller in a chunk folder below the entry.
  const bundled = [`./${options.bundled}`, `../${options.bundled}`].map((relative) => fileURLToPath(new URL(relative, options.from)));
  return bundled.find((file) => fs.existsSync(file)) ?? fileURLToPath(new URL(options.source, options.from));
}
