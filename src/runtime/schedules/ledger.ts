// The durable run ledger of schedules in <dataDir>/schedules.db (WAL): every slot as due → started →
// finished/failed/stopped, or missed with why; plus each schedule's progress (anchor, last slot, paused) and the
// schedules added from the CLI or UI.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newId } from '../base/index.ts';
import type { ScheduleConfig } from '../config/index.ts';

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
}

export interface ScheduleState {
  name: string;
  /** Where an interval counts from (when the schedule was first seen). */
  anchor: number;
  /** Slots up to this time (epoch ms) have been handled. */
  lastSlot: number;
  paused: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS slots (
  id TEXT PRIMARY KEY, schedule TEXT NOT NULL, due_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('due','started','finished','failed','stopped','missed')),
  trigger TEXT NOT NULL, reason TEXT, run_id TEXT, started_at INTEGER, ended_at INTEGER, seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS slots_schedule ON slots (schedule, seq);
CREATE INDEX IF NOT EXISTS slots_open ON slots (status) WHERE status IN ('due', 'started');
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, anchor INTEGER NOT NULL, last_slot INTEGER NOT NULL, paused INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS added (name TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

type Row = Record<string, string | number | null>;

export class ScheduleLedger {
  readonly file: string;
  private readonly db: Database.Database;
  private seq: number;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(dataDir, 'schedules.db');
    this.db = new Database(this.file);
    fs.chmodSync(this.file, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.seq = Number((this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM slots').get() as { n: number }).n);
  }

  state(name: string): ScheduleState | undefined {
    const row = this.db.prepare('SELECT * FROM state WHERE name = ?').get(name) as Row | undefined;
    return row && { name, anchor: Number(row.anchor), lastSlot: Number(row.last_slot), paused: row.paused === 1 };
  }

  saveState(state: ScheduleState): void {
    this.db
      .prepare('INSERT INTO state (name, anchor, last_slot, paused) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET anchor = excluded.anchor, last_slot = excluded.last_slot, paused = excluded.paused')
      .run(state.name, state.anchor, state.lastSlot, state.paused ? 1 : 0);
  }

  /** Records slots and the schedule's progress in one transaction, so a crash never half-records a tick. */
  record(state: ScheduleState, slots: Omit<SlotRecord, 'id'>[]): SlotRecord[] {
    return this.db.transaction(() => {
      const created = slots.map((slot) => this.insert(slot));
      this.saveState(state);
      return created;
    })();
  }

  insert(slot: Omit<SlotRecord, 'id'>): SlotRecord {
    const record = { id: newId('slot'), ...slot };
    this.db
      .prepare('INSERT INTO slots (id, schedule, due_at, status, trigger, reason, run_id, started_at, ended_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(record.id, record.schedule, record.dueAt, record.status, record.trigger, record.reason ?? null, record.runId ?? null, record.startedAt ?? null, record.endedAt ?? null, ++this.seq);
    return record;
  }

  update(id: string, change: Partial<Pick<SlotRecord, 'status' | 'reason' | 'runId' | 'startedAt' | 'endedAt'>>): void {
    const current = this.get(id);
    if (!current) return;
    const next = { ...current, ...change };
    this.db
      .prepare('UPDATE slots SET status = ?, reason = ?, run_id = ?, started_at = ?, ended_at = ? WHERE id = ?')
      .run(next.status, next.reason ?? null, next.runId ?? null, next.startedAt ?? null, next.endedAt ?? null, id);
  }

  get(id: string): SlotRecord | undefined {
    const row = this.db.prepare('SELECT * FROM slots WHERE id = ?').get(id) as Row | undefined;
    return row && slotOf(row);
  }

  /** Slots still due (queued) or started, oldest first. */
  open(schedule?: string): SlotRecord[] {
    const rows = schedule
      ? this.db.prepare("SELECT * FROM slots WHERE status IN ('due','started') AND schedule = ? ORDER BY seq").all(schedule)
      : this.db.prepare("SELECT * FROM slots WHERE status IN ('due','started') ORDER BY seq").all();
    return (rows as Row[]).map(slotOf);
  }

  /** Newest first. */
  history(schedule?: string, limit = 50): SlotRecord[] {
    const rows = schedule
      ? this.db.prepare('SELECT * FROM slots WHERE schedule = ? ORDER BY seq DESC LIMIT ?').all(schedule, limit)
      : this.db.prepare('SELECT * FROM slots ORDER BY seq DESC LIMIT ?').all(limit);
    return (rows as Row[]).map(slotOf);
  }

  added(): ScheduleConfig[] {
    return (this.db.prepare('SELECT definition FROM added ORDER BY created_at').all() as { definition: string }[]).map((r) => JSON.parse(r.definition) as ScheduleConfig);
  }

  add(schedule: ScheduleConfig, now: number): void {
    this.db.prepare('INSERT INTO added (name, definition, created_at) VALUES (?, ?, ?)').run(schedule.name, JSON.stringify(schedule), now);
  }

  /** Removes an added schedule and its progress; its ledger entries stay as history. */
  remove(name: string): boolean {
    return this.db.transaction(() => {
      const removed = this.db.prepare('DELETE FROM added WHERE name = ?').run(name).changes > 0;
      if (removed) this.db.prepare('DELETE FROM state WHERE name = ?').run(name);
      return removed;
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function slotOf(row: Row): SlotRecord {
  return {
    id: String(row.id),
    schedule: String(row.schedule),
    dueAt: Number(row.due_at),
    status: row.status as SlotStatus,
    trigger: row.trigger as SlotTrigger,
    ...(row.reason !== null ? { reason: String(row.reason) } : {}),
    ...(row.run_id !== null ? { runId: String(row.run_id) } : {}),
    ...(row.started_at !== null ? { startedAt: Number(row.started_at) } : {}),
    ...(row.ended_at !== null ? { endedAt: Number(row.ended_at) } : {}),
  };
}
