#!/usr/bin/env node
// Entry of the `rein` command. Rein runs its TypeScript sources directly (Node 24 strips types).
import { spawn } from 'node:child_process';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`rein needs Node.js 24 or newer (this is ${process.version}). See README.md, "Install".\n`);
  process.exit(2);
}
// The isolated-vm sandbox needs Node without its startup snapshot; restart once with the flag when missing.
if (!process.execArgv.includes('--no-node-snapshot')) {
  const child = spawn(process.execPath, ['--no-node-snapshot', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  // A terminal's Ctrl-C reaches the child itself (same process group); forward only signals sent to us alone.
  process.on('SIGINT', () => process.stdin.isTTY || child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
} else {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
