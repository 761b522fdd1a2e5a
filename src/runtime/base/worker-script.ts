import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The script a worker process runs: the file named by the environment variable `envVar` if set (a packaged build
 * that ships it elsewhere); else the bundled `<bundled>` next to the calling code (`from`: its import.meta.url) or
 * one folder up (a bundler may put that code in a chunk folder below the entry); else the TypeScript source
 * (Node ≥ 24 strips its types).
 */
export function workerScript(options: { envVar: string; bundled: string; source: URL; from: string }): string {
  const override = process.env[options.envVar];
  if (override) return override;
  const bundled = [`./${options.bundled}`, `../${options.bundled}`].map((relative) => fileURLToPath(new URL(relative, options.from)));
  return bundled.find((file) => fs.existsSync(file)) ?? fileURLToPath(options.source);
}
