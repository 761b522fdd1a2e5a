import type { RunStatus } from '../common/index.ts';

export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  stopped: 3,
  interrupted: 130,
} as const;

export function exitCodeFor(status: RunStatus, interrupted: boolean): number {
  if (interrupted) return ExitCode.interrupted;
  if (status === 'completed') return ExitCode.ok;
  return status === 'stopped' ? ExitCode.stopped : ExitCode.failed;
}
