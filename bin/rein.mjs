#!/usr/bin/env node
// Entry of the `rein` command. Rein runs its TypeScript sources directly (Node 24 strips types).
import { spawn } from 'node:child_process';
import net from 'node:net';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`rein needs Node.js 24 or newer (this is ${process.version}). See README.md, "Install".\n`);
  process.exit(2);
}
const LIFELINE_FD = 3;
// The isolated-vm sandbox needs Node without its startup snapshot; restart once with the flag when missing.
if (!process.execArgv.includes('--no-node-snapshot')) {
  // fd 3 is a lifeline: if this wrapper dies in any way (even SIGKILL), the real process sees it close and stops.
  const child = spawn(process.execPath, ['--no-node-snapshot', ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, REIN_LIFELINE: String(LIFELINE_FD) },
  });
  // A terminal's Ctrl-C reaches the child itself (same process group); forward only signals sent to us alone.
  process.on('SIGINT', () => process.stdin.isTTY || child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
} else {
  if (process.env.REIN_LIFELINE) {
    delete process.env.REIN_LIFELINE; // for this process only, not for processes it starts
    const lifeline = new net.Socket({ fd: LIFELINE_FD, readable: true, writable: false });
    lifeline.on('close', () => process.kill(process.pid, 'SIGTERM'));
    lifeline.on('error', () => undefined);
    lifeline.unref();
  }
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
