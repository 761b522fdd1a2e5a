// Runs the real `rein` command in a child process (async, so servers in the test process keep serving).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tempDir } from './fixtures.ts';

export const REIN_BIN = path.resolve(import.meta.dirname, '../../bin/rein.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Default: a fresh temp dir. */
  cwd?: string;
  /** Added to a minimal environment (PATH, HOME, NO_COLOR). */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (default: nothing). */
  stdin?: string;
}

export function runRein(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REIN_BIN, ...args], {
      cwd: options.cwd ?? tempDir(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...keychainEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** The test process's secret folder and keychain selection (see keychain-env.ts). */
function keychainEnv(): NodeJS.ProcessEnv {
  const { REIN_KEYCHAIN_DIR, REIN_KEYCHAIN } = process.env;
  return { ...(REIN_KEYCHAIN_DIR ? { REIN_KEYCHAIN_DIR } : {}), ...(REIN_KEYCHAIN ? { REIN_KEYCHAIN } : {}) };
}
