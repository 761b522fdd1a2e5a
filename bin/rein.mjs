#!/usr/bin/env node
// Entry of the `rein` command. It runs the bundle in out/cli/ (`npm run build`, scripts/build-cli.mjs) when there is
// one, else the TypeScript sources directly (Node 24 strips types). The sandbox runs in worker processes of its own
// (src/runtime/sandbox/worker.ts), so this process needs no special Node flags.
import fs from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`rein needs Node.js 24 or newer (this is ${process.version}). See README.md, "Install".\n`);
  process.exit(2);
}
// Compiled code is cached on disk (Node's compile cache, in the OS temp folder): start-up costs about half.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();

const root = new URL('../', import.meta.url);

/**
 * The bundle, unless REIN_FROM_SOURCE is set or it is missing. In a git checkout (development) sources change
 * under it: there it is used only while no file it was built from changed since (else the sources run).
 */
function bundle() {
  if (process.env.REIN_FROM_SOURCE) return undefined;
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(new URL('out/cli/sources.json', root), 'utf8'));
  } catch {
    return undefined;
  }
  if (fs.existsSync(new URL('.git', root))) {
    for (const file of manifest.sources) {
      const stat = fs.statSync(new URL(file, root), { throwIfNoEntry: false });
      if (!stat || stat.mtimeMs > manifest.builtAt) return undefined;
    }
  }
  return new URL('out/cli/main.js', root).href;
}

const { main } = await import(bundle() ?? '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
