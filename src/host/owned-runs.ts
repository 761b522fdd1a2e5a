// Which runs the host owns and has not finished: <dataDir>/host-runs.json, rewritten (atomically) when a run of the
// host starts, resumes or finishes. A host that stops cleanly finishes its runs (stopped), so the file ends empty;
// one that was killed leaves exactly its unfinished runs there, and the next host resumes those. Runs of a CLI
// working in-process never enter it: they live in another process's runtime.
import fs from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '../common/events.ts';

export const OWNED_RUNS_FILE = 'host-runs.json';

export interface OwnedRun {
  runId: string;
  goal: string;
  since: string;
  /** pid of the host that ran it last. */
  pid: number;
  /** How many times a new host resumed it after a crash (a run that keeps killing its host is given up). */
  resumes?: number;
}

/** A run resumed this many times without finishing is not resumed again (it may be what crashes the host). */
export const MAX_RESUMES = 3;

export function ownedRunsFile(dataDir: string): string {
  return path.join(dataDir, OWNED_RUNS_FILE);
}

export function readOwnedRuns(dataDir: string): OwnedRun[] {
  try {
    const value = JSON.parse(fs.readFileSync(ownedRunsFile(dataDir), 'utf8')) as { runs?: OwnedRun[] };
    return Array.isArray(value.runs) ? value.runs.filter((run) => typeof run?.runId === 'string') : [];
  } catch {
    return [];
  }
}

/** Keeps the file in step with the host's runs; `initial` are runs still to be resumed (kept until they are). */
export class OwnedRunsLedger {
  private readonly runs = new Map<string, OwnedRun>();
  /** Runs someone else resumes after a crash (scheduled runs: the scheduler, from its ledger). */
  private readonly disowned = new Set<string>();
  private readonly file: string;
  private readonly onError: (message: string) => void;

  /** `onError`: the file could not be written (the runs go on; only resuming after a crash is affected). */
  constructor(dataDir: string, initial: readonly OwnedRun[] = [], onError: (message: string) => void = () => undefined) {
    this.file = ownedRunsFile(dataDir);
    this.onError = onError;
    for (const run of initial) this.runs.set(run.runId, run);
  }

  /** Feed every run event of the host's runtime. */
  observe = (event: RunEvent): void => {
    if (this.disowned.has(event.runId)) {
      if (event.type === 'run.finished') this.disowned.delete(event.runId);
      return;
    }
    if (event.type === 'run.started' || event.type === 'run.resumed') {
      const resumes = this.runs.get(event.runId)?.resumes;
      this.runs.set(event.runId, { runId: event.runId, goal: event.goal, since: event.time, pid: process.pid, ...(resumes ? { resumes } : {}) });
      this.save();
    } else if (event.type === 'run.finished' && this.runs.delete(event.runId)) this.save();
  };

  /** Counts a resume before it starts, so a run that crashes the host while resuming is eventually given up. */
  resuming(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.resumes = (run.resumes ?? 0) + 1;
    this.save();
  }

  /** A run this host runs but does not resume after a crash: a scheduled run, which its schedule's ledger resumes. */
  disown(runId: string): void {
    this.disowned.add(runId);
    this.drop(runId);
  }

  /** A run that cannot be resumed is given up (it stays interrupted in memory and can be resumed by hand). */
  drop(runId: string): void {
    if (this.runs.delete(runId)) this.save();
  }

  private save(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, `${JSON.stringify({ runs: [...this.runs.values()] }, null, 2)}\n`, { mode: 0o600 });
      fs.renameSync(temp, this.file);
    } catch (error) {
      this.onError(`cannot write ${this.file} (runs in it are resumed after a crash): ${(error as Error).message}`);
    }
  }
}
