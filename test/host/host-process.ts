// Starts `rein serve` as the host of a data dir (a child process) and waits until discovery finds it healthy.
import { spawn, type ChildProcess } from 'node:child_process';
import { findHost, type HostInfo } from '../../src/host/discovery.ts';
import { REIN_BIN } from '../support/cli.ts';

export interface HostProcess {
  info: HostInfo;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit (a clean stop). */
  stop(): Promise<void>;
}

export async function startHostProcess(home: string, ollamaUrl: string, timeoutMs = 60_000): Promise<HostProcess> {
  const child = spawn(process.execPath, [REIN_BIN, 'serve', '--port', '0'], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, REIN_HOME: home, OLLAMA_HOST: ollamaUrl, NO_COLOR: '1', ...keychainEnv() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<never>((_resolve, reject) => child.once('exit', (code) => reject(new Error(`rein serve exited with ${code}:\n${output}`))));
  const info = await Promise.race([waitForHost(home, timeoutMs), exited]);
  return {
    info,
    child,
    output: () => output,
    stop: () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    })),
  };
}

/** The test process's secret folder (see test/support/keychain-env.ts): the host never touches the user's keychain. */
function keychainEnv(): NodeJS.ProcessEnv {
  const { REIN_KEYCHAIN_DIR, REIN_KEYCHAIN } = process.env;
  return { ...(REIN_KEYCHAIN_DIR ? { REIN_KEYCHAIN_DIR } : {}), ...(REIN_KEYCHAIN ? { REIN_KEYCHAIN } : {}) };
}

export async function waitForHost(home: string, timeoutMs = 60_000, exceptPid?: number): Promise<HostInfo> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await findHost(home);
    if (info && info.pid !== exceptPid) return info;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no healthy host for ${home} within ${timeoutMs} ms`);
}

/** Polls `check` until it returns a value (not undefined/false). */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
