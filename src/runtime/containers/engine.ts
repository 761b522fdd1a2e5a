// Podman or Docker, driven through its command line: which one answers, and the few commands Rein needs.
import { execFile, spawnSync } from 'node:child_process';
import { errorMessage } from '../base/index.ts';
import { ContainerEngineError } from './errors.ts';

export type EngineName = 'podman' | 'docker';
export type EngineChoice = EngineName | 'auto';

export interface ContainerEngine {
  name: EngineName;
  /** The command to run (found on PATH). */
  bin: string;
  version: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ANSWER_TIMEOUT_MS = 10_000;

/** Runs `<bin> <args>`; never throws for a non-zero exit (the result says), only when it cannot run at all. */
export function exec(bin: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, env: options.env ?? process.env }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      if (failure && typeof failure.code === 'string') return reject(new ContainerEngineError(`cannot run ${bin}: ${errorMessage(failure)}`));
      if (failure?.killed) return reject(new ContainerEngineError(`${bin} ${args[0] ?? ''} did not finish in time`));
      resolve({ code: failure ? Number(failure.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Like exec, but a non-zero exit is an error naming the command and the engine's own message. */
export async function execOk(engine: ContainerEngine, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const result = await exec(engine.bin, args, options);
  if (result.code !== 0) throw new ContainerEngineError(`${engine.name} ${args[0]} failed (exit ${result.code}): ${lastLine(result.stderr || result.stdout)}`);
  return result.stdout;
}

/** Synchronous, for process-exit cleanup: nothing asynchronous runs once the process is exiting. */
export function execSyncQuiet(engine: Pick<ContainerEngine, 'bin'>, args: string[]): void {
  spawnSync(engine.bin, args, { stdio: 'ignore', timeout: 10_000 });
}

/** The engine asked for, or with `auto` Podman if it answers, else Docker. Throws naming what each said. */
export async function findEngine(choice: EngineChoice): Promise<ContainerEngine> {
  const candidates: EngineName[] = choice === 'auto' ? ['podman', 'docker'] : [choice];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      return { name, bin: name, version: await answers(name) };
    } catch (error) {
      failures.push(`${name}: ${errorMessage(error)}`);
    }
  }
  const install = choice === 'docker' ? 'start the Docker daemon' : 'install Podman (Debian/Ubuntu: apt-get install podman runc) or Docker';
  throw new ContainerEngineError(`no container engine answers (${failures.join('; ')}): ${install}, or use agents.backend: local`);
}

/** Its version, once the engine (Docker: its daemon too) has answered. */
async function answers(name: EngineName): Promise<string> {
  const format = name === 'podman' ? '{{.Client.Version}}' : '{{.Server.Version}}';
  const result = await exec(name, ['version', '--format', format], { timeoutMs: ANSWER_TIMEOUT_MS }).catch((error: unknown) => {
    throw new ContainerEngineError(/ENOENT/.test(errorMessage(error)) ? 'not installed' : errorMessage(error));
  });
  if (result.code !== 0) throw new ContainerEngineError(lastLine(result.stderr || result.stdout) || `exit ${result.code}`);
  return result.stdout.trim();
}

export function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
