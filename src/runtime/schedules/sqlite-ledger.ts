// The schedule ledger in <dataDir>/schedules.db (WAL): the desktop's, used by one host (and the CLI beside it).
// Every write that must not interleave runs in an IMMEDIATE transaction, so SQLite's write lock is the schedule lock.
import path from 'node:path';
import Database from 'better-sqlite3';
import { newId, privateDir, privateFile } from '../base/index.ts';
import type { ScheduleConfig } from '../config/index.ts';
import { gaveUp, slotOf, type Advance, type ClaimedSlot, type ClaimOptions, type LedgerRow as Row, type NewSlot, type ScheduleLedger, type ScheduleState, type SlotChange, type SlotRecord } from './ledger.ts';

/** Version 1: the first ledger (no user_version yet). Version 2: claims under leases, definitions, workers. */
const SCHEMA_V1 = `
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
const SCHEMA_V2 = `
ALTER TABLE slots ADD COLUMN holder TEXT;
ALTER TABLE slots ADD COLUMN lease_until INTEGER;
ALTER TABLE slots ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE slots ADD COLUMN definition TEXT;
CREATE TABLE IF NOT EXISTS workers (name TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
`;
/** A slot of a schedule is run at most once: the second fence after the schedule lock (missed/failed/manual aside). */
const ONCE_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS slots_once ON slots (schedule, due_at) WHERE trigger <> 'manual' AND status IN ('due', 'started', 'finished', 'stopped')";

export class SqliteScheduleLedger implements ScheduleLedger {
  readonly where: string;
  readonly shared = false;
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    privateDir(dataDir);
    this.where = path.join(dataDir, 'schedules.db');
    privateFile(this.where);
    this.db = new Database(this.where);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  private migrate(): void {
    this.db.transaction(() => {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > 2) throw new Error(`${this.where} has schedule ledger version ${version}, newer than this Rein understands (2); update Rein`);
      if (version >= 2) return;
      this.db.exec(SCHEMA_V1);
      this.db.exec(SCHEMA_V2);
      try {
        this.db.exec(ONCE_INDEX);
      } catch {
        // an old ledger with a doubled slot: the transaction of each tick still keeps new slots single
      }
      this.db.pragma('user_version = 2');
    }).immediate();
  }

  async state(name: string): Promise<ScheduleState | undefined> {
    return this.stateNow(name);
  }

  private stateNow(name: string): ScheduleState | undefined {
    const row = this.db.prepare('SELECT * FROM state WHERE name = ?').get(name) as Row | undefined;
    return row && { name, anchor: Number(row.anchor), lastSlot: Number(row.last_slot), paused: row.paused === 1 };
  }

  async states(): Promise<ScheduleState[]> {
    return (this.db.prepare('SELECT name FROM state ORDER BY name').all() as { name: string }[]).map((r) => this.stateNow(r.name)!);
  }

  async saveState(state: ScheduleState): Promise<void> {
    this.saveStateNow(state);
  }

  private saveStateNow(state: ScheduleState): void {
    this.db
      .prepare('INSERT INTO state (name, anchor, last_slot, paused) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET anchor = excluded.anchor, last_slot = excluded.last_slot, paused = excluded.paused')
      .run(state.name, state.anchor, state.lastSlot, state.paused ? 1 : 0);
  }

  async advance(name: string, plan: (state: ScheduleState | undefined) => Advance | undefined): Promise<SlotRecord[]> {
    return this.db.transaction(() => {
      const decided = plan(this.stateNow(name));
      if (!decided) return [];
      const created = decided.slots.map((slot) => this.insertNow(slot));
      this.saveStateNow(decided.state);
      return created;
    }).immediate();
  }

  async insert(slot: NewSlot): Promise<SlotRecord> {
    return this.insertNow(slot);
  }

  private insertNow({ definition, ...slot }: NewSlot): SlotRecord {
    const record: SlotRecord = { id: newId('slot'), ...slot, attempts: 0 };
    this.db
      .prepare(
        `INSERT INTO slots (id, schedule, due_at, status, trigger, reason, run_id, started_at, ended_at, definition, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM slots))`,
      )
      .run(record.id, record.schedule, record.dueAt, record.status, record.trigger, record.reason ?? null, record.runId ?? null, record.startedAt ?? null, record.endedAt ?? null, definition ? JSON.stringify(definition) : null);
    return record;
  }

  async update(id: string, change: SlotChange): Promise<void> {
    const current = this.getNow(id);
    if (!current) return;
    const next = { ...current, ...change };
    this.db
      .prepare('UPDATE slots SET status = ?, reason = ?, run_id = ?, started_at = ?, ended_at = ? WHERE id = ?')
      .run(next.status, next.reason ?? null, next.runId ?? null, next.startedAt ?? null, next.endedAt ?? null, id);
  }

  async miss(id: string, reason: string, at: number): Promise<boolean> {
    return this.db.prepare("UPDATE slots SET status = 'missed', reason = ?, ended_at = ? WHERE id = ? AND status = 'due'").run(reason, at, id).changes > 0;
  }

  async get(id: string): Promise<SlotRecord | undefined> {
    return this.getNow(id);
  }

  private getNow(id: string): SlotRecord | undefined {
    const row = this.db.prepare('SELECT * FROM slots WHERE id = ?').get(id) as Row | undefined;
    return row && slotOf(row);
  }

  async open(schedule?: string): Promise<SlotRecord[]> {
    const rows = schedule
      ? this.db.prepare("SELECT * FROM slots WHERE status IN ('due','started') AND schedule = ? ORDER BY seq").all(schedule)
      : this.db.prepare("SELECT * FROM slots WHERE status IN ('due','started') ORDER BY seq").all();
    return (rows as Row[]).map(slotOf);
  }

  async history(schedule?: string, limit = 50): Promise<SlotRecord[]> {
    const rows = schedule
      ? this.db.prepare('SELECT * FROM slots WHERE schedule = ? ORDER BY seq DESC LIMIT ?').all(schedule, limit)
      : this.db.prepare('SELECT * FROM slots ORDER BY seq DESC LIMIT ?').all(limit);
    return (rows as Row[]).map(slotOf);
  }

  async added(): Promise<ScheduleConfig[]> {
    return (this.db.prepare('SELECT definition FROM added ORDER BY created_at').all() as { definition: string }[]).map((r) => JSON.parse(r.definition) as ScheduleConfig);
  }

  async add(schedule: ScheduleConfig, now: number): Promise<void> {
    this.db.prepare('INSERT INTO added (name, definition, created_at) VALUES (?, ?, ?)').run(schedule.name, JSON.stringify(schedule), now);
  }

  async remove(name: string): Promise<boolean> {
    return this.db.transaction(() => {
      const removed = this.db.prepare('DELETE FROM added WHERE name = ?').run(name).changes > 0;
      if (removed) this.db.prepare('DELETE FROM state WHERE name = ?').run(name);
      return removed;
    })();
  }

  async claim(holder: string, options: ClaimOptions): Promise<ClaimedSlot | undefined> {
    const maxAttempts = options.maxAttempts ?? 3;
    return this.db.transaction((): ClaimedSlot | undefined => {
      const now = Date.now();
      const claimable = "(status = 'due' OR (status = 'started' AND lease_until < ?))";
      const rows = (options.schedule
        ? this.db.prepare(`SELECT * FROM slots WHERE ${claimable} AND schedule = ? ORDER BY seq LIMIT 50`).all(now, options.schedule)
        : this.db.prepare(`SELECT * FROM slots WHERE ${claimable} ORDER BY seq LIMIT 50`).all(now)) as Row[];
      for (const row of rows) {
        const slot = slotOf(row);
        const definition = row.definition === null ? undefined : (JSON.parse(String(row.definition)) as ScheduleConfig);
        if (slot.status === 'started') {
          if (slot.attempts >= maxAttempts) {
            this.db.prepare("UPDATE slots SET status = 'failed', reason = ?, ended_at = ?, holder = NULL, lease_until = NULL WHERE id = ?").run(gaveUp(slot.attempts), options.at ?? now, slot.id);
            continue;
          }
          this.db.prepare('UPDATE slots SET holder = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?').run(holder, now + options.leaseMs, slot.id);
          return { slot: this.getNow(slot.id)!, ...(definition ? { definition } : {}), takeover: true };
        }
        const blocked = this.db
          .prepare("SELECT 1 FROM slots WHERE schedule = ? AND id <> ? AND (status = 'started' OR (status = 'due' AND seq < ?)) LIMIT 1")
          .get(slot.schedule, slot.id, Number(row.seq));
        if (blocked) continue;
        this.db
          .prepare("UPDATE slots SET status = 'started', holder = ?, lease_until = ?, attempts = attempts + 1, run_id = COALESCE(run_id, ?), started_at = ? WHERE id = ?")
          .run(holder, now + options.leaseMs, options.runId ?? newId('run'), options.at ?? now, slot.id);
        return { slot: this.getNow(slot.id)!, ...(definition ? { definition } : {}), takeover: false };
      }
      return undefined;
    }).immediate();
  }

  async adopt(holder: string, leaseMs: number, scope: 'own' | 'all'): Promise<SlotRecord[]> {
    const which = scope === 'own' ? "status = 'started' AND holder = ?" : "status = 'started' AND ? IS NOT NULL";
    return this.db.transaction(() => {
      const ids = (this.db.prepare(`SELECT id FROM slots WHERE ${which} ORDER BY seq`).all(holder) as { id: string }[]).map((r) => r.id);
      const take = this.db.prepare('UPDATE slots SET holder = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?');
      for (const id of ids) take.run(holder, Date.now() + leaseMs, id);
      return ids.map((id) => this.getNow(id)!);
    }).immediate();
  }

  async renew(id: string, holder: string, leaseMs: number): Promise<boolean> {
    return this.db.prepare("UPDATE slots SET lease_until = ? WHERE id = ? AND holder = ? AND status = 'started'").run(Date.now() + leaseMs, id, holder).changes > 0;
  }

  async end(id: string, holder: string, outcome: { status: 'finished' | 'failed' | 'stopped'; reason?: string; endedAt: number }): Promise<boolean> {
    return (
      this.db
        .prepare("UPDATE slots SET status = ?, reason = COALESCE(?, reason), ended_at = ?, lease_until = NULL WHERE id = ? AND holder = ? AND status = 'started'")
        .run(outcome.status, outcome.reason ?? null, outcome.endedAt, id, holder).changes > 0
    );
  }

  async release(id: string, holder: string): Promise<void> {
    this.db.prepare("UPDATE slots SET lease_until = 0 WHERE id = ? AND holder = ? AND status = 'started'").run(id, holder);
  }

  async present(worker: string): Promise<void> {
    this.db.prepare('INSERT INTO workers (name, seen_at) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seen_at = excluded.seen_at').run(worker, Date.now());
  }

  async absent(worker: string): Promise<void> {
    this.db.prepare('DELETE FROM workers WHERE name = ?').run(worker);
  }

  async workers(withinMs: number): Promise<string[]> {
    return (this.db.prepare('SELECT name FROM workers WHERE seen_at >= ? ORDER BY name').all(Date.now() - withinMs) as { name: string }[]).map((r) => r.name);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
