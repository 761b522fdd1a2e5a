// What happens to a subagent container after `run`: how it ended, its removal, and the reaper that removes the
// containers of a Rein that died without cleaning up (SIGKILL, a crash, a power cut).
import { errorMessage } from '../base/index.ts';
import { exec, execSyncQuiet, lastLine, type ContainerEngine } from './engine.ts';
import { ContainerEngineError } from './errors.ts';
import { PARENT_LABEL, isAlive, parseIdentity } from './labels.ts';

export interface ContainerExit {
  /** Still running, or gone already (e.g. removed by the reaper). */
  status: 'exited' | 'running' | 'gone';
  exitCode?: number;
  /** The engine says the kernel killed it for memory (not every engine can tell on every kernel). */
  oomKilled?: boolean;
}

export async function containerExit(engine: ContainerEngine, name: string): Promise<ContainerExit> {
  const result = await exec(engine.bin, ['inspect', '--type', 'container', '--format', '{{json .State}}', name], { timeoutMs: 15_000 });
  if (result.code !== 0) return { status: 'gone' };
  try {
    const state = JSON.parse(result.stdout) as { Status?: string; Running?: boolean; ExitCode?: number; OOMKilled?: boolean };
    if (state.Running) return { status: 'running' };
    return { status: 'exited', ...(typeof state.ExitCode === 'number' ? { exitCode: state.ExitCode } : {}), oomKilled: state.OOMKilled === true };
  } catch {
    return { status: 'gone' };
  }
}

/** Removes it, running or not; a container that is already gone is fine. */
export async function removeContainer(engine: ContainerEngine, name: string): Promise<void> {
  const result = await exec(engine.bin, ['rm', '--force', name], { timeoutMs: 30_000 });
  if (result.code !== 0 && !/no such container|no container with name/i.test(result.stderr)) {
    throw new ContainerEngineError(`${engine.name} rm ${name} failed: ${lastLine(result.stderr)}`);
  }
}

/** For process-exit handlers, where nothing asynchronous runs any more. */
export function removeContainerNow(engine: Pick<ContainerEngine, 'bin'>, name: string): void {
  execSyncQuiet(engine, ['rm', '--force', name]);
}

export interface Orphan {
  name: string;
  /** The pid of the Rein that started it. */
  parentPid: number;
}

/** Every labelled subagent container (running or exited) whose parent Rein no longer runs. */
export async function findOrphans(engine: ContainerEngine): Promise<Orphan[]> {
  const ids = (await exec(engine.bin, ['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=${PARENT_LABEL}`], { timeoutMs: 30_000 })).stdout.split('\n').filter(Boolean);
  if (!ids.length) return [];
  const format = `{{.Name}}\t{{index .Config.Labels "${PARENT_LABEL}"}}`;
  const described = await exec(engine.bin, ['inspect', '--type', 'container', '--format', format, ...ids], { timeoutMs: 30_000 });
  const orphans: Orphan[] = [];
  for (const line of described.stdout.split('\n')) {
    const [name, label] = line.split('\t');
    const parent = label ? parseIdentity(label.trim()) : undefined;
    if (name && parent && !isAlive(parent)) orphans.push({ name: name.replace(/^\//, ''), parentPid: parent.pid });
  }
  return orphans;
}

/** Removes the orphans; returns what it removed and what it could not (each with the reason). */
export async function reapOrphans(engine: ContainerEngine): Promise<{ removed: Orphan[]; failed: string[] }> {
  const removed: Orphan[] = [];
  const failed: string[] = [];
  for (const orphan of await findOrphans(engine)) {
    try {
      await removeContainer(engine, orphan.name);
      removed.push(orphan);
    } catch (error) {
      failed.push(`${orphan.name}: ${errorMessage(error)}`);
    }
  }
  return { removed, failed };
}
