#!/usr/bin/env node
// `npm run build` (after electron-vite): bundles the `rein` command (src/cli/main.ts, which is also the host:
// `rein serve`), the worker processes (sandbox, document parsers, embedded model engine) into out/cli/, so start-up loads a few files instead of hundreds.
// Each command stays its own chunk, imported only when it runs. bin/rein.mjs runs this bundle when it is present
// (and, in a git checkout, when no source changed since it was built), else the TypeScript sources.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'rolldown';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'out', 'cli');
/** Written next to the bundle: when it was built and from which files (bin/rein.mjs checks them in a checkout). */
const MANIFEST = 'sources.json';

// Loaded from node_modules at run time: native modules (and what finds their binaries), and document parsers that
// locate files of their own package (pdf.js, tesseract's worker script). Each is a production dependency.
const EXTERNAL_PACKAGES = ['better-sqlite3', 'isolated-vm', 'sqlite-vec', '@napi-rs/keyring', 'officeparser', 'unpdf', 'node-llama-cpp'];
const builtins = new Set(builtinModules);
const external = (id) =>
  id.startsWith('node:') || builtins.has(id) || EXTERNAL_PACKAGES.some((name) => id === name || id.startsWith(`${name}/`));

const builtAt = Date.now();
// The manifest goes first and comes back last: until then bin/rein.mjs runs the sources.
fs.rmSync(path.join(OUT, MANIFEST), { force: true });
fs.rmSync(OUT, { recursive: true, force: true });
const output = await build({
  cwd: ROOT,
  input: { main: 'src/cli/main.ts', 'sandbox-worker': 'src/runtime/sandbox/worker.ts', 'parse-worker': 'src/runtime/knowledge/parse/worker.ts', 'engine-worker': 'src/runtime/model/embedded/worker.ts' },
  platform: 'node',
  external,
  logLevel: 'warn',
  // Every file directly in out/cli/: code that finds files relative to itself (the renderer, bin/rein.mjs, the
  // sandbox worker) knows it sits one folder below out/.
  output: { dir: OUT, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});

const sources = new Set(['package.json', 'package-lock.json']);
for (const chunk of output.output) {
  if (chunk.type !== 'chunk') continue;
  for (const id of chunk.moduleIds) {
    const relative = path.relative(ROOT, id);
    if (relative.startsWith('src' + path.sep)) sources.add(relative.split(path.sep).join('/'));
  }
}
// `externals`: what the bundle loads from node_modules (the subagent image copies exactly these, with their deps).
fs.writeFileSync(path.join(OUT, MANIFEST), `${JSON.stringify({ builtAt, externals: EXTERNAL_PACKAGES, sources: [...sources].sort() }, null, 1)}\n`);
console.log(`out/cli: ${output.output.length} files from ${sources.size - 2} sources in ${Date.now() - builtAt} ms`);
