// Approvals and "allow always" grants in the shared PostgreSQL database: a run on any worker asks, the host's UI
// (or `rein approvals`) decides, the first decision wins and each decision is used by one call.
import type pg from 'pg';
import { newId, type Redactor } from '../base/index.ts';
import { inTransaction, migrate, sharedPool, type SharedPool } from '../postgres/index.ts';
import { toApproval, toGrant, type ApprovalRecord, type ApprovalStore, type Grant, type NewApproval, type Resolution } from './approval-store.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE approvals (
     id TEXT PRIMARY KEY, created_at TEXT NOT NULL, run_id TEXT NOT NULL, tool TEXT NOT NULL, args TEXT NOT NULL,
     args_hash TEXT NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL, risk TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'allowed', 'denied')), always INTEGER NOT NULL DEFAULT 0,
     expires_at TEXT, decided_by TEXT, decision_reason TEXT, decided_at TEXT, consumed INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX approvals_call ON approvals (tool, args_hash, consumed);
   CREATE INDEX approvals_pending ON approvals (created_at) WHERE status = 'pending';
   CREATE TABLE grants (
     id TEXT PRIMARY KEY, tool TEXT NOT NULL, args TEXT NOT NULL, args_hash TEXT NOT NULL, created_at TEXT NOT NULL,
     expires_at TEXT, created_by TEXT NOT NULL, approval_id TEXT, revoked_at TEXT
   );
   CREATE INDEX grants_call ON grants (tool, args_hash);
   CREATE TABLE policy_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];

type Row = Record<string, string | number | null>;

export class PgApprovalStore implements ApprovalStore {
  readonly file: string;
  private readonly shared: SharedPool;
  private readonly pool: pg.Pool;
  private readonly redact: Redactor;

  private constructor(shared: SharedPool, redact: Redactor) {
    this.shared = shared;
    this.pool = shared.pool;
    this.file = `${shared.where} (table approvals)`;
    this.redact = redact;
  }

  static async open(url: string, redact: Redactor = (text) => text): Promise<PgApprovalStore> {
    const shared = sharedPool(url);
    try {
      await migrate(shared.pool, 'policy', MIGRATIONS, shared.where);
      return new PgApprovalStore(shared, redact);
    } catch (error) {
      await shared.release();
      throw error;
    }
  }

  async create(input: NewApproval): Promise<ApprovalRecord> {
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO approvals (id, created_at, run_id, tool, args, args_hash, rule, reason, risk, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') RETURNING *`,
      [newId('apr'), new Date().toISOString(), input.runId, input.tool, this.redact(JSON.stringify(input.args)), input.argsHash, input.rule, input.reason, input.risk],
    );
    return toApproval(rows[0]!);
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM approvals WHERE id = $1', [id]);
    return rows[0] && toApproval(rows[0]);
  }

  async listPending(): Promise<ApprovalRecord[]> {
    return (await this.pool.query<Row>("SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at")).rows.map(toApproval);
  }

  async listDecided(limit = 50): Promise<ApprovalRecord[]> {
    return (await this.pool.query<Row>("SELECT * FROM approvals WHERE status != 'pending' ORDER BY decided_at DESC LIMIT $1", [limit])).rows.map(toApproval);
  }

  async findOpen(tool: string, argsHash: string, otherLiveRuns: readonly string[] = []): Promise<ApprovalRecord | undefined> {
    const { rows } = await this.pool.query<Row>(
      "SELECT * FROM approvals WHERE tool = $1 AND args_hash = $2 AND consumed = 0 AND run_id <> ALL($3::text[]) ORDER BY status = 'pending', created_at LIMIT 1",
      [tool, argsHash, [...otherLiveRuns]],
    );
    return rows[0] && toApproval(rows[0]);
  }

  resolve(id: string, resolution: Resolution): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<Row>(
        `UPDATE approvals SET status = $1, always = $2, expires_at = $3, decided_by = $4, decision_reason = $5, decided_at = $6
         WHERE id = $7 AND status = 'pending' RETURNING *`,
        [resolution.allow ? 'allowed' : 'denied', resolution.always ? 1 : 0, resolution.expiresAt ?? null, resolution.by, resolution.reason ?? null, new Date().toISOString(), id],
      );
      if (!rows[0]) return false;
      const approval = toApproval(rows[0]);
      if (resolution.allow && resolution.always) {
        await this.insertGrant(client, { tool: approval.tool, args: approval.args, argsHash: approval.argsHash, expiresAt: resolution.expiresAt, createdBy: resolution.by, approvalId: id }, false);
      }
      return true;
    });
  }

  async consume(id: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE approvals SET consumed = 1 WHERE id = $1 AND consumed = 0', [id])).rowCount ?? 0) > 0;
  }

  addGrant(input: Omit<Grant, 'id' | 'createdAt'>): Promise<Grant> {
    return this.insertGrant(this.pool, input, true);
  }

  private async insertGrant(db: pg.Pool | pg.PoolClient, input: Omit<Grant, 'id' | 'createdAt'>, redact: boolean): Promise<Grant> {
    // Arguments read back from an approval are already redacted.
    const args = redact ? this.redact(JSON.stringify(input.args)) : JSON.stringify(input.args);
    const { rows } = await db.query<Row>(
      'INSERT INTO grants (id, tool, args, args_hash, created_at, expires_at, created_by, approval_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *',
      [newId('grant'), input.tool, args, input.argsHash, new Date().toISOString(), input.expiresAt ?? null, input.createdBy, input.approvalId ?? null],
    );
    return toGrant(rows[0]!);
  }

  async findGrant(tool: string, argsHash: string, now = new Date()): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM grants WHERE tool = $1 AND args_hash = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3) LIMIT 1',
      [tool, argsHash, now.toISOString()],
    );
    return rows[0]?.id;
  }

  async listGrants(): Promise<Grant[]> {
    return (await this.pool.query<Row>('SELECT * FROM grants WHERE revoked_at IS NULL ORDER BY created_at')).rows.map(toGrant);
  }

  async revokeGrant(id: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [new Date().toISOString(), id])).rowCount ?? 0) > 0;
  }

  swapMeta(key: string, value: string): Promise<string | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ value: string }>('SELECT value FROM policy_meta WHERE key = $1 FOR UPDATE', [key]);
      await client.query('INSERT INTO policy_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
      return rows[0]?.value;
    });
  }

  async close(): Promise<void> {
    await this.shared.release();
  }
}
