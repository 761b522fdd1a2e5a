#!/usr/bin/env node
// Entry of the `rein` command. Rein runs its TypeScript sources directly (Node 24 strips types). The sandbox runs
// in worker processes of its own (src/runtime/sandbox/worker.ts), so this process needs no special Node flags.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`rein needs Node.js 24 or newer (this is ${process.version}). See README.md, "Install".\n`);
  process.exit(2);
}
// Compiled code is cached on disk (Node's compile cache, in the OS temp folder): start-up costs about half.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
