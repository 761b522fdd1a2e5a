// The durable run ledger of schedules: every slot as due → started → finished/failed/stopped, or missed with why;
// each schedule's progress (anchor, last slot, paused) and the schedules added from the CLI or UI. In the data dir's
// schedules.db (SQLite, one host) or in the team's PostgreSQL database (memory.episodic), where several hosts and
// workers share it: slots are decided under a per-schedule lock and run by whoever claims them, under a lease.
import type { ScheduleConfig, StateConfig } from '../config/index.ts';

export type SlotStatus = 'due' | 'started' | 'finished' | 'failed' | 'stopped' | 'missed';
export type SlotTrigger = 'slot' | 'catch_up' | 'manual';

export interface SlotRecord {
  id: string;
  schedule: string;
  /** The slot's time (epoch ms); for a manual run, when it was asked for. */
  dueAt: number;
  status: SlotStatus;
  trigger: SlotTrigger;
  reason?: string;
  runId?: string;
  startedAt?: number;
  endedAt?: number;
  /** Who runs it (a host or worker: `machine:pid`) while it is started. */
  holder?: string;
  /** Until when (epoch ms) its holder's claim holds; past it, another takes the slot over and resumes its run. */
  leaseUntil?: number;
  /** How often it was claimed (a takeover after its holder died counts). */
  attempts: number;
}

/** A slot to record; `definition` is what it runs (a worker runs it without the host's rein.yaml). */
export type NewSlot = Omit<SlotRecord, 'id' | 'holder' | 'leaseUntil' | 'attempts'> & { definition?: ScheduleConfig };

export type SlotChange = Partial<Pick<SlotRecord, 'status' | 'reason' | 'runId' | 'startedAt' | 'endedAt'>>;

export interface ScheduleState {
  name: string;
  /** Where an interval counts from (when the schedule was first seen). */
  anchor: number;
  /** Slots up to this time (epoch ms) have been handled. */
  lastSlot: number;
  paused: boolean;
}

/** What a scheduler decided for one schedule: its new progress and the slots that came. */
export interface Advance {
  state: ScheduleState;
  slots: NewSlot[];
}

export interface ClaimedSlot {
  /** Now started, held by the claimer, with a run id (the run may not exist yet). */
  slot: SlotRecord;
  definition?: ScheduleConfig;
  /** Its previous holder stopped (lease ran out): resume its run from the checkpoint rather than start one. */
  takeover: boolean;
}

export interface ClaimOptions {
  leaseMs: number;
  /** Only this schedule's slots. */
  schedule?: string;
  /** A slot taken over this often without finishing is failed instead (default 3). */
  maxAttempts?: number;
  /** The run id a fresh slot's run gets (default: a new one). */
  runId?: string;
  /** The scheduler's time, recorded as the slot's start (default: now). */
  at?: number;
}

export interface ScheduleLedger {
  /** Where it lives, for messages. */
  readonly where: string;
  /** Shared by several processes (PostgreSQL): hosts and workers claim slots under leases. */
  readonly shared: boolean;
  state(name: string): Promise<ScheduleState | undefined>;
  /** Every schedule's progress, by name. */
  states(): Promise<ScheduleState[]>;
  saveState(state: ScheduleState): Promise<void>;
  /**
   * Under the schedule's lock (no other host decides it meanwhile): reads its progress, lets `plan` decide, and
   * records the slots and the new progress in one transaction. `plan` returning undefined changes nothing.
   */
  advance(name: string, plan: (state: ScheduleState | undefined) => Advance | undefined): Promise<SlotRecord[]>;
  insert(slot: NewSlot): Promise<SlotRecord>;
  update(id: string, change: SlotChange): Promise<void>;
  /** A due slot recorded missed with why; false when it is no longer due (someone claimed it). */
  miss(id: string, reason: string, at: number): Promise<boolean>;
  get(id: string): Promise<SlotRecord | undefined>;
  /** Slots still due (queued) or started, oldest first. */
  open(schedule?: string): Promise<SlotRecord[]>;
  /** Newest first. */
  history(schedule?: string, limit?: number): Promise<SlotRecord[]>;
  added(): Promise<ScheduleConfig[]>;
  add(schedule: ScheduleConfig, now: number): Promise<void>;
  /** Removes an added schedule and its progress; its ledger entries stay as history. */
  remove(name: string): Promise<boolean>;
  /**
   * The next slot to run, now held by `holder` for `leaseMs`: a started slot whose holder's lease ran out (taken
   * over), else the oldest due slot of a schedule none of whose slots is started. Exactly one claimer gets a slot.
   */
  claim(holder: string, options: ClaimOptions): Promise<ClaimedSlot | undefined>;
  /**
   * A host starting again takes back the started slots it held (`own`: holder names are stable per machine and data
   * dir), or every started slot (a data dir's ledger: the previous host is gone); each counts as an attempt.
   */
  adopt(holder: string, leaseMs: number, scope: 'own' | 'all'): Promise<SlotRecord[]>;
  /** Extends the holder's lease; false when the slot is no longer its own. */
  renew(id: string, holder: string, leaseMs: number): Promise<boolean>;
  /** The run ended: records the outcome; false when the slot was no longer the holder's. */
  end(id: string, holder: string, outcome: { status: 'finished' | 'failed' | 'stopped'; reason?: string; endedAt: number }): Promise<boolean>;
  /** Gives a started slot back (its holder stops): another claimer resumes its run at once. */
  release(id: string, holder: string): Promise<void>;
  /** A worker says it is up (every few seconds), or leaving. */
  present(worker: string): Promise<void>;
  absent(worker: string): Promise<void>;
  /** Workers seen within `withinMs`. */
  workers(withinMs: number): Promise<string[]>;
  close(): Promise<void>;
}

/** The ledger of this config: schedules.db in the data dir, or the team's PostgreSQL database. */
export async function openScheduleLedger(config: StateConfig): Promise<ScheduleLedger> {
  if (!config.memory.episodic) {
    const { SqliteScheduleLedger } = await import('./sqlite-ledger.ts');
    return new SqliteScheduleLedger(config.dataDir);
  }
  const { PgScheduleLedger } = await import('./pg-ledger.ts');
  return PgScheduleLedger.open(config.memory.episodic);
}

/** The reason a slot given up after its holders kept stopping gets. */
export function gaveUp(attempts: number): string {
  return `gave up after ${attempts} attempts (its host or worker stopped each time)`;
}

export type LedgerRow = Record<string, string | number | null | Date | undefined>;

/** A slots row of either database (PostgreSQL gives timestamps as Date). */
export function slotOf(row: LedgerRow): SlotRecord {
  const number = (value: LedgerRow[string]) => (value instanceof Date ? value.getTime() : Number(value));
  return {
    id: String(row.id),
    schedule: String(row.schedule),
    dueAt: number(row.due_at),
    status: row.status as SlotStatus,
    trigger: row.trigger as SlotTrigger,
    attempts: Number(row.attempts ?? 0),
    ...(row.reason !== null ? { reason: String(row.reason) } : {}),
    ...(row.run_id !== null ? { runId: String(row.run_id) } : {}),
    ...(row.started_at !== null ? { startedAt: number(row.started_at) } : {}),
    ...(row.ended_at !== null ? { endedAt: number(row.ended_at) } : {}),
    ...(row.holder !== null && row.holder !== undefined ? { holder: String(row.holder) } : {}),
    ...(row.lease_until !== null && row.lease_until !== undefined ? { leaseUntil: number(row.lease_until) } : {}),
  };
}
