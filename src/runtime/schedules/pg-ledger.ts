// The schedule ledger in the team's PostgreSQL database, shared by every host and worker. Deciding a schedule's
// slots and claiming one to run both take the schedule's transaction-level advisory lock, and a partial unique
// index keeps a slot of a schedule from being recorded twice; a claimed slot is held under a lease (database time)
// that its holder renews, and taken over — its run resumed from the checkpoint — when the lease runs out.
import type pg from 'pg';
import { newId } from '../base/index.ts';
import type { ScheduleConfig } from '../config/index.ts';
import { inTransaction, migrate, sharedPool, type SharedPool } from '../postgres/index.ts';
import { gaveUp, slotOf, type Advance, type ClaimedSlot, type ClaimOptions, type LedgerRow, type NewSlot, type ScheduleLedger, type ScheduleState, type SlotChange, type SlotRecord } from './ledger.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE schedule_slots (
     id TEXT PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY, schedule TEXT NOT NULL, due_at BIGINT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('due','started','finished','failed','stopped','missed')),
     trigger TEXT NOT NULL, reason TEXT, run_id TEXT, started_at BIGINT, ended_at BIGINT,
     holder TEXT, lease_until TIMESTAMPTZ, attempts INTEGER NOT NULL DEFAULT 0, definition JSONB
   );
   CREATE INDEX schedule_slots_schedule ON schedule_slots (schedule, seq);
   CREATE INDEX schedule_slots_open ON schedule_slots (seq) WHERE status IN ('due', 'started');
   CREATE UNIQUE INDEX schedule_slots_once ON schedule_slots (schedule, due_at)
     WHERE trigger <> 'manual' AND status IN ('due', 'started', 'finished', 'stopped');
   CREATE TABLE schedule_state (name TEXT PRIMARY KEY, anchor BIGINT NOT NULL, last_slot BIGINT NOT NULL, paused BOOLEAN NOT NULL DEFAULT false);
   CREATE TABLE schedule_added (name TEXT PRIMARY KEY, definition JSONB NOT NULL, created_at BIGINT NOT NULL);
   CREATE TABLE schedule_workers (name TEXT PRIMARY KEY, seen_at TIMESTAMPTZ NOT NULL);`,
];

/** First key of the per-schedule advisory locks ('RSCH'); the second is the schedule name's hash. */
const SCHEDULE_LOCK = 0x52534348;

const SLOT_COLUMNS = 'id, seq, schedule, due_at, status, trigger, reason, run_id, started_at, ended_at, holder, lease_until, attempts';

export class PgScheduleLedger implements ScheduleLedger {
  readonly where: string;
  readonly shared = true;
  private readonly owner: SharedPool;
  private readonly pool: pg.Pool;

  private constructor(owner: SharedPool) {
    this.owner = owner;
    this.pool = owner.pool;
    this.where = `${owner.where} (table schedule_slots)`;
  }

  static async open(url: string): Promise<PgScheduleLedger> {
    const owner = sharedPool(url);
    try {
      await migrate(owner.pool, 'schedules', MIGRATIONS, owner.where);
      return new PgScheduleLedger(owner);
    } catch (error) {
      await owner.release();
      throw error;
    }
  }

  async state(name: string): Promise<ScheduleState | undefined> {
    return stateIn(this.pool, name);
  }

  async states(): Promise<ScheduleState[]> {
    const { rows } = await this.pool.query<{ name: string; anchor: string; last_slot: string; paused: boolean }>('SELECT * FROM schedule_state ORDER BY name');
    return rows.map((row) => ({ name: row.name, anchor: Number(row.anchor), lastSlot: Number(row.last_slot), paused: row.paused }));
  }

  async saveState(state: ScheduleState): Promise<void> {
    await saveStateIn(this.pool, state);
  }

  advance(name: string, plan: (state: ScheduleState | undefined) => Advance | undefined): Promise<SlotRecord[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEDULE_LOCK, name]);
      const decided = plan(await stateIn(client, name));
      if (!decided) return [];
      const created: SlotRecord[] = [];
      for (const slot of decided.slots) created.push(await insertIn(client, slot));
      await saveStateIn(client, decided.state);
      return created;
    });
  }

  insert(slot: NewSlot): Promise<SlotRecord> {
    return insertIn(this.pool, slot);
  }

  async update(id: string, change: SlotChange): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const column = { status: 'status', reason: 'reason', runId: 'run_id', startedAt: 'started_at', endedAt: 'ended_at' } as const;
    for (const [key, name] of Object.entries(column) as [keyof SlotChange, string][]) {
      if (!(key in change)) continue;
      values.push(change[key] ?? null);
      sets.push(`${name} = $${values.length}`);
    }
    if (sets.length) await this.pool.query(`UPDATE schedule_slots SET ${sets.join(', ')} WHERE id = $1`, values);
  }

  async miss(id: string, reason: string, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query("UPDATE schedule_slots SET status = 'missed', reason = $2, ended_at = $3 WHERE id = $1 AND status = 'due'", [id, reason, at]);
    return (rowCount ?? 0) > 0;
  }

  async get(id: string): Promise<SlotRecord | undefined> {
    const { rows } = await this.pool.query<LedgerRow>(`SELECT ${SLOT_COLUMNS} FROM schedule_slots WHERE id = $1`, [id]);
    return rows[0] && slotOf(rows[0]);
  }

  async open(schedule?: string): Promise<SlotRecord[]> {
    const { rows } = schedule
      ? await this.pool.query<LedgerRow>(`SELECT ${SLOT_COLUMNS} FROM schedule_slots WHERE status IN ('due','started') AND schedule = $1 ORDER BY seq`, [schedule])
      : await this.pool.query<LedgerRow>(`SELECT ${SLOT_COLUMNS} FROM schedule_slots WHERE status IN ('due','started') ORDER BY seq`);
    return rows.map(slotOf);
  }

  async history(schedule?: string, limit = 50): Promise<SlotRecord[]> {
    const { rows } = schedule
      ? await this.pool.query<LedgerRow>(`SELECT ${SLOT_COLUMNS} FROM schedule_slots WHERE schedule = $1 ORDER BY seq DESC LIMIT $2`, [schedule, limit])
      : await this.pool.query<LedgerRow>(`SELECT ${SLOT_COLUMNS} FROM schedule_slots ORDER BY seq DESC LIMIT $1`, [limit]);
    return rows.map(slotOf);
  }

  async added(): Promise<ScheduleConfig[]> {
    return (await this.pool.query<{ definition: ScheduleConfig }>('SELECT definition FROM schedule_added ORDER BY created_at, name')).rows.map((r) => r.definition);
  }

  async add(schedule: ScheduleConfig, now: number): Promise<void> {
    await this.pool.query('INSERT INTO schedule_added (name, definition, created_at) VALUES ($1, $2, $3)', [schedule.name, JSON.stringify(schedule), now]);
  }

  remove(name: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const removed = ((await client.query('DELETE FROM schedule_added WHERE name = $1', [name])).rowCount ?? 0) > 0;
      if (removed) await client.query('DELETE FROM schedule_state WHERE name = $1', [name]);
      return removed;
    });
  }

  claim(holder: string, options: ClaimOptions): Promise<ClaimedSlot | undefined> {
    const maxAttempts = options.maxAttempts ?? 3;
    const claimable = "(status = 'due' OR (status = 'started' AND lease_until < now()))";
    return inTransaction(this.pool, async (client) => {
      const candidates = await client.query<{ id: string; schedule: string }>(
        `SELECT id, schedule FROM schedule_slots WHERE ${claimable} ${options.schedule ? 'AND schedule = $1' : ''} ORDER BY seq LIMIT 50`,
        options.schedule ? [options.schedule] : [],
      );
      for (const candidate of candidates.rows) {
        // The schedule's lock (another claimer or a host deciding its slots may have it: leave it to the next claim),
        // then the row, if still claimable and not locked by another claimer.
        const locked = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [SCHEDULE_LOCK, candidate.schedule]);
        if (!locked.rows[0]?.ok) continue;
        const { rows } = await client.query<LedgerRow & { definition: ScheduleConfig | null }>(
          `SELECT ${SLOT_COLUMNS}, definition FROM schedule_slots WHERE id = $1 AND ${claimable} FOR UPDATE SKIP LOCKED`,
          [candidate.id],
        );
        const row = rows[0];
        if (!row) continue;
        const slot = slotOf(row);
        const definition = row.definition ? { definition: row.definition } : {};
        if (slot.status === 'started') {
          if (slot.attempts >= maxAttempts) {
            await client.query("UPDATE schedule_slots SET status = 'failed', reason = $2, ended_at = $3, holder = NULL, lease_until = NULL WHERE id = $1", [slot.id, gaveUp(slot.attempts), options.at ?? Date.now()]);
            continue;
          }
          const taken = await client.query<LedgerRow>(
            `UPDATE schedule_slots SET holder = $2, lease_until = now() + make_interval(secs => $3), attempts = attempts + 1 WHERE id = $1 RETURNING ${SLOT_COLUMNS}`,
            [slot.id, holder, options.leaseMs / 1000],
          );
          return { slot: slotOf(taken.rows[0]!), ...definition, takeover: true };
        }
        const blocked = await client.query(
          "SELECT 1 FROM schedule_slots WHERE schedule = $1 AND id <> $2 AND (status = 'started' OR (status = 'due' AND seq < $3)) LIMIT 1",
          [slot.schedule, slot.id, row.seq],
        );
        if (blocked.rowCount) continue;
        const claimed = await client.query<LedgerRow>(
          `UPDATE schedule_slots SET status = 'started', holder = $2, lease_until = now() + make_interval(secs => $3), attempts = attempts + 1,
             run_id = COALESCE(run_id, $4), started_at = $5 WHERE id = $1 RETURNING ${SLOT_COLUMNS}`,
          [slot.id, holder, options.leaseMs / 1000, options.runId ?? newId('run'), options.at ?? Date.now()],
        );
        return { slot: slotOf(claimed.rows[0]!), ...definition, takeover: false };
      }
      return undefined;
    });
  }

  async adopt(holder: string, leaseMs: number, scope: 'own' | 'all'): Promise<SlotRecord[]> {
    const { rows } = await this.pool.query<LedgerRow>(
      `UPDATE schedule_slots SET holder = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
       WHERE status = 'started' ${scope === 'own' ? 'AND holder = $1' : ''} RETURNING ${SLOT_COLUMNS}`,
      [holder, leaseMs / 1000],
    );
    return rows.map(slotOf).sort((a, b) => Number(a.dueAt) - Number(b.dueAt));
  }

  async renew(id: string, holder: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "UPDATE schedule_slots SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND holder = $2 AND status = 'started'",
      [id, holder, leaseMs / 1000],
    );
    return (rowCount ?? 0) > 0;
  }

  async end(id: string, holder: string, outcome: { status: 'finished' | 'failed' | 'stopped'; reason?: string; endedAt: number }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "UPDATE schedule_slots SET status = $3, reason = COALESCE($4, reason), ended_at = $5, lease_until = NULL WHERE id = $1 AND holder = $2 AND status = 'started'",
      [id, holder, outcome.status, outcome.reason ?? null, outcome.endedAt],
    );
    return (rowCount ?? 0) > 0;
  }

  async release(id: string, holder: string): Promise<void> {
    await this.pool.query("UPDATE schedule_slots SET lease_until = '-infinity' WHERE id = $1 AND holder = $2 AND status = 'started'", [id, holder]);
  }

  async present(worker: string): Promise<void> {
    await this.pool.query('INSERT INTO schedule_workers (name, seen_at) VALUES ($1, now()) ON CONFLICT (name) DO UPDATE SET seen_at = now()', [worker]);
  }

  async absent(worker: string): Promise<void> {
    await this.pool.query('DELETE FROM schedule_workers WHERE name = $1', [worker]);
  }

  async workers(withinMs: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>('SELECT name FROM schedule_workers WHERE seen_at >= now() - make_interval(secs => $1) ORDER BY name', [withinMs / 1000]);
    return rows.map((r) => r.name);
  }

  async close(): Promise<void> {
    await this.owner.release();
  }
}

type Queryable = pg.Pool | pg.PoolClient;

async function stateIn(db: Queryable, name: string): Promise<ScheduleState | undefined> {
  const { rows } = await db.query<{ anchor: string; last_slot: string; paused: boolean }>('SELECT anchor, last_slot, paused FROM schedule_state WHERE name = $1', [name]);
  const row = rows[0];
  return row && { name, anchor: Number(row.anchor), lastSlot: Number(row.last_slot), paused: row.paused };
}

async function saveStateIn(db: Queryable, state: ScheduleState): Promise<void> {
  await db.query(
    'INSERT INTO schedule_state (name, anchor, last_slot, paused) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET anchor = excluded.anchor, last_slot = excluded.last_slot, paused = excluded.paused',
    [state.name, state.anchor, state.lastSlot, state.paused],
  );
}

async function insertIn(db: Queryable, { definition, ...slot }: NewSlot): Promise<SlotRecord> {
  const record: SlotRecord = { id: newId('slot'), ...slot, attempts: 0 };
  await db.query(
    `INSERT INTO schedule_slots (id, schedule, due_at, status, trigger, reason, run_id, started_at, ended_at, definition) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [record.id, record.schedule, record.dueAt, record.status, record.trigger, record.reason ?? null, record.runId ?? null, record.startedAt ?? null, record.endedAt ?? null, definition ? JSON.stringify(definition) : null],
  );
  return record;
}
