// Starting the capabilities: concurrently, one failing never blocks the others; failures with the same cause (a team
// database that is down) are told once, naming every capability it stopped; and while a capability runs depend on
// for safety (the audit log, the policy) is not started, runs are refused instead of running unaudited or unguarded.
import type { StartProblem, SystemEventInput } from '../common/index.ts';
import { ReinError, errorMessage } from './base/index.ts';
import type { ExtensionHost, RuntimeExtension } from './extension.ts';
import type { RunHooks } from './loop/index.ts';

export interface StartedExtensions {
  started: Set<RuntimeExtension>;
  /** Why each one that failed did not start. */
  failed: Map<RuntimeExtension, string>;
}

export async function startExtensions(extensions: readonly RuntimeExtension[], host: ExtensionHost, notify: (event: SystemEventInput) => void): Promise<StartedExtensions> {
  const started = new Set<RuntimeExtension>();
  const failed = new Map<RuntimeExtension, string>();
  await Promise.all(
    extensions.map(async (extension) => {
      try {
        await extension.start?.(host);
        started.add(extension);
      } catch (error) {
        failed.set(extension, errorMessage(error));
      }
    }),
  );
  for (const problem of startProblems(extensions, failed)) notify({ type: 'system.notice', level: 'error', source: problem.capabilities.join(', '), message: `failed to start: ${problem.message}` });
  return { started, failed };
}

/** The failures grouped by cause, in the capabilities' order. */
export function startProblems(extensions: readonly RuntimeExtension[], failed: ReadonlyMap<RuntimeExtension, string>): StartProblem[] {
  const byCause = new Map<string, StartProblem>();
  for (const extension of extensions) {
    const why = failed.get(extension);
    if (why === undefined) continue;
    const problem = byCause.get(why) ?? { capabilities: [], message: why, refusesRuns: false };
    problem.capabilities.push(extension.name);
    problem.refusesRuns ||= extension.essential === true;
    byCause.set(why, problem);
  }
  return [...byCause.values()];
}

/** A run hook that refuses every run while an essential capability is not started, saying which and why. */
export function safeguards(failed: ReadonlyMap<RuntimeExtension, string>): RunHooks {
  return {
    name: 'safeguards',
    onRunStart() {
      const byCause = new Map<string, string[]>();
      for (const [extension, why] of failed) if (extension.essential) byCause.set(why, [...(byCause.get(why) ?? []), extension.name].sort());
      if (!byCause.size) return;
      const what = [...byCause].map(([why, names]) => `${names.join(' and ')} (${why})`).join('; ');
      throw new ReinError(`Rein runs nothing without its audit log and policy, and these did not start: ${what}. Fix that, then restart Rein`);
    },
  };
}
