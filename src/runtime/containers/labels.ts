// Every subagent container carries who started it, so a Rein that starts later can tell orphans from live ones.
import fs from 'node:fs';
import os from 'node:os';

/** Present on every subagent container; its value is the parent's identity (parentIdentity()). */
export const PARENT_LABEL = 'dev.rein.parent';
/** `<role>#<n>` of the subagent. */
export const AGENT_LABEL = 'dev.rein.agent';
/** The parent's run that spawned it. */
export const RUN_LABEL = 'dev.rein.run';

export interface ParentIdentity {
  host: string;
  pid: number;
  /** The process's start time (clock ticks since boot, /proc/<pid>/stat), so a reused pid is not mistaken for it. */
  started?: string;
}

export function parentIdentity(pid = process.pid): ParentIdentity {
  const started = startTime(pid);
  return { host: os.hostname(), pid, ...(started ? { started } : {}) };
}

export function formatIdentity(identity: ParentIdentity): string {
  return [identity.host, identity.pid, identity.started ?? ''].join('/');
}

export function parseIdentity(label: string): ParentIdentity | undefined {
  const [host, pid, started] = label.split('/');
  const number = Number(pid);
  if (!host || !Number.isInteger(number) || number <= 0) return undefined;
  return { host, pid: number, ...(started ? { started } : {}) };
}

/** Whether that Rein still runs. One of another machine (a shared engine) counts as alive: it is not ours to judge. */
export function isAlive(identity: ParentIdentity): boolean {
  if (identity.host !== os.hostname()) return true;
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTime(identity.pid);
  return !identity.started || !started || started === identity.started;
}

function startTime(pid: number): string | undefined {
  try {
    // Field 22 (starttime); the command name (field 2) may contain spaces, so count from its closing parenthesis.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
