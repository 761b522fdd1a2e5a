// Every subagent process this Rein started and has not yet seen end. On exit of this process the survivors are
// killed synchronously, so no child outlives its parent.
import { spawnSync } from 'node:child_process';

export interface LiveChild {
  pid: number;
  /** Extra synchronous cleanup (e.g. removing a container). */
  cleanup?: () => void;
}

const live = new Set<LiveChild>();
let hooked = false;

export function trackChild(child: LiveChild): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', killAllNow);
  }
  live.add(child);
  return () => live.delete(child);
}

export function liveChildPids(): number[] {
  return [...live].map((child) => child.pid);
}

export function runSync(command: { command: string; args: string[] }): void {
  spawnSync(command.command, command.args, { stdio: 'ignore', timeout: 10_000 });
}

function killAllNow(): void {
  for (const child of live) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    child.cleanup?.();
  }
  live.clear();
}
