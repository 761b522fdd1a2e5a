// Starts `rein serve` as a child process (fresh data dir, Ollama = a scripted server) and reads its printed URL.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/fixtures.ts';

export interface ServeProcess {
  /** The URL printed at start, with #token=…. */
  url: string;
  home: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `yaml`: a rein.yaml written into the data dir (which is also the working directory) before starting; no
 * `ollamaUrl`: no OLLAMA_HOST, so with no model configured the host finds its model itself (provider auto);
 * `env`: more environment (e.g. where the embedded engine downloads from).
 */
export function startServe(ollamaUrl: string | undefined, options: { yaml?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const home = tempDir('rein-e2e-');
  if (options.yaml) fs.writeFileSync(path.join(home, 'rein.yaml'), options.yaml);
  const { OLLAMA_HOST: _inherited, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/rein.mjs'), 'serve', '--port', '0'], {
    cwd: home,
    env: { ...inherited, REIN_HOME: home, ...(ollamaUrl ? { OLLAMA_HOST: ollamaUrl } : {}), NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Rein is serving on (\S+)/.exec(output);
      if (match) resolve({ url: match[1]!, home, stop: () => stop(child) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`rein serve exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
