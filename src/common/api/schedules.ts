// Schedules: goals the host runs unattended on a cron or interval, and the ledger of every slot.

export type ScheduleSlotStatus = 'due' | 'started' | 'finished' | 'failed' | 'stopped' | 'missed';

/** A schedule as rein.yaml (`source: config`) or the CLI/UI (`source: added`) defines it. */
export interface ScheduleDefinition {
  name: string;
  goal?: string;
  skill?: string;
  input?: Record<string, unknown>;
  cron?: string;
  every?: string | number;
  timezone?: string;
  catch_up?: 'skip' | 'run_once' | 'run_all';
  max_catch_up?: number;
  overlap?: 'skip' | 'queue';
  model?: string;
  approvals?: 'wait' | 'deny';
  approval_timeout_s?: number;
  enabled?: boolean;
}

export interface ScheduleView {
  name: string;
  source: 'config' | 'added';
  definition: ScheduleDefinition;
  /** Human description of when it runs: "cron 0 7 * * 1-5 (Europe/Berlin)", "every 90s". */
  when: string;
  paused: boolean;
  enabled: boolean;
  /** ISO time of the next slot (absent when paused or disabled). */
  nextAt?: string;
  last?: ScheduleSlot;
  /** The run going now, if any. */
  runningRunId?: string;
}

export interface ScheduleSlot {
  id: string;
  schedule: string;
  /** ISO time of the slot (for a manual run: when it was asked for). */
  dueAt: string;
  status: ScheduleSlotStatus;
  trigger: 'slot' | 'catch_up' | 'manual';
  reason?: string;
  runId?: string;
  startedAt?: string;
  endedAt?: string;
  /** Who runs or ran it: a host or worker (`machine:pid`; a host's is `host machine:data dir`). */
  heldBy?: string;
}

export interface SchedulesApi {
  list(): Promise<ScheduleView[]>;
  /** Adds a schedule (kept in the ledger database; rein.yaml ones are edited in the file). */
  add(definition: ScheduleDefinition): Promise<ScheduleView>;
  remove(name: string): Promise<void>;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  /** Runs the schedule now (queued behind its running run under `overlap: queue`, else refused while one runs). */
  runNow(name: string): Promise<ScheduleSlot>;
  /** Ledger entries, newest first. */
  history(name?: string, limit?: number): Promise<ScheduleSlot[]>;
}
