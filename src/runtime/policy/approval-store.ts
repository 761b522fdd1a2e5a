// Durable approvals and "allow always" grants in <dataDir>/policy.db (WAL), shared by the running runtime and
// `rein approvals` in another terminal.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RiskClass } from '../../common/index.ts';
import { newId, privateDir, privateFile, type Redactor } from '../base/index.ts';

export type ApprovalStatus = 'pending' | 'allowed' | 'denied';

export interface ApprovalRecord {
  id: string;
  createdAt: string;
  runId: string;
  tool: string;
  args: Record<string, unknown>;
  argsHash: string;
  rule: string;
  reason: string;
  risk: RiskClass;
  status: ApprovalStatus;
  always: boolean;
  expiresAt?: string;
  decidedBy?: string;
  decisionReason?: string;
  decidedAt?: string;
  /** A decision is used by exactly one call. */
  consumed: boolean;
}

export interface Grant {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  argsHash: string;
  createdAt: string;
  expiresAt?: string;
  createdBy: string;
  approvalId?: string;
}

export interface Resolution {
  allow: boolean;
  always?: boolean;
  expiresAt?: string;
  by: string;
  reason?: string;
}

export type NewApproval = Pick<ApprovalRecord, 'runId' | 'tool' | 'args' | 'argsHash' | 'rule' | 'reason' | 'risk'>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY, created_at TEXT NOT NULL, run_id TEXT NOT NULL, tool TEXT NOT NULL, args TEXT NOT NULL,
  args_hash TEXT NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL, risk TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'allowed', 'denied')), always INTEGER NOT NULL DEFAULT 0,
  expires_at TEXT, decided_by TEXT, decision_reason TEXT, decided_at TEXT, consumed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS approvals_call ON approvals (tool, args_hash, consumed);
CREATE TABLE IF NOT EXISTS grants (
  id TEXT PRIMARY KEY, tool TEXT NOT NULL, args TEXT NOT NULL, args_hash TEXT NOT NULL, created_at TEXT NOT NULL,
  expires_at TEXT, created_by TEXT NOT NULL, approval_id TEXT, revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS grants_call ON grants (tool, args_hash);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

type Row = Record<string, string | number | null>;

/** Approvals and grants: SQLite (policy.db) or the shared PostgreSQL database. */
export interface ApprovalStore {
  readonly file: string;
  create(input: NewApproval): Promise<ApprovalRecord>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  listPending(): Promise<ApprovalRecord[]>;
  /** Decided approvals, newest decision first. */
  listDecided(limit?: number): Promise<ApprovalRecord[]>;
  /**
   * An earlier request for the same call that is still pending, or decided but not yet used (e.g. answered after a
   * restart) — not one of `otherLiveRuns`: a run going on beside this one asks for itself.
   */
  findOpen(tool: string, argsHash: string, otherLiveRuns?: readonly string[]): Promise<ApprovalRecord | undefined>;
  /** Decides a pending approval; false when it was already decided (the first decision wins). */
  resolve(id: string, resolution: Resolution): Promise<boolean>;
  /** Marks a decision as used; false when another call used it first. */
  consume(id: string): Promise<boolean>;
  addGrant(input: Omit<Grant, 'id' | 'createdAt'>): Promise<Grant>;
  /** The id of a live grant for exactly this call. */
  findGrant(tool: string, argsHash: string, now?: Date): Promise<string | undefined>;
  listGrants(): Promise<Grant[]>;
  revokeGrant(id: string): Promise<boolean>;
  /** Swaps a stored value; returns the previous one. */
  swapMeta(key: string, value: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** The SQLite store, with every method's promise settled by the time it returns (better-sqlite3 is synchronous). */
export function sqliteApprovalStore(dataDir: string, redact: Redactor = (text) => text): ApprovalStore {
  const db = new SqliteApprovals(dataDir, redact);
  return {
    file: db.file,
    create: async (input) => db.create(input),
    get: async (id) => db.get(id),
    listPending: async () => db.listPending(),
    listDecided: async (limit) => db.listDecided(limit),
    findOpen: async (tool, hash, others) => db.findOpen(tool, hash, others),
    resolve: async (id, resolution) => db.resolve(id, resolution),
    consume: async (id) => db.consume(id),
    addGrant: async (input) => db.addGrant(input),
    findGrant: async (tool, hash, now) => db.findGrant(tool, hash, now),
    listGrants: async () => db.listGrants(),
    revokeGrant: async (id) => db.revokeGrant(id),
    swapMeta: async (key, value) => db.swapMeta(key, value),
    close: async () => db.close(),
  };
}

class SqliteApprovals {
  readonly file: string;
  private readonly db: Database.Database;
  private grantQuery: Database.Statement | undefined;

  private readonly redact: Redactor;

  /** `redact`: secrets are removed from the stored arguments (matching uses the hash of the real ones). */
  constructor(dataDir: string, redact: Redactor = (text) => text) {
    privateDir(dataDir);
    this.file = path.join(dataDir, 'policy.db');
    privateFile(this.file);
    this.redact = redact;
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  create(input: NewApproval): ApprovalRecord {
    const id = newId('apr');
    this.db
      .prepare(`INSERT INTO approvals (id, created_at, run_id, tool, args, args_hash, rule, reason, risk, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`)
      .run(id, new Date().toISOString(), input.runId, input.tool, this.redact(JSON.stringify(input.args)), input.argsHash, input.rule, input.reason, input.risk);
    return this.get(id)!;
  }

  get(id: string): ApprovalRecord | undefined {
    const row = this.db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as Row | undefined;
    return row && toApproval(row);
  }

  listPending(): ApprovalRecord[] {
    return (this.db.prepare(`SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at`).all() as Row[]).map(toApproval);
  }

  /** Decided approvals, newest decision first. */
  listDecided(limit = 50): ApprovalRecord[] {
    return (this.db.prepare(`SELECT * FROM approvals WHERE status != 'pending' ORDER BY decided_at DESC LIMIT ?`).all(limit) as Row[]).map(toApproval);
  }

  /** An earlier request for the same call that is still pending, or decided but not yet used (e.g. answered after a restart). */
  findOpen(tool: string, argsHash: string, otherLiveRuns: readonly string[] = []): ApprovalRecord | undefined {
    const skip = otherLiveRuns.length ? ` AND run_id NOT IN (${otherLiveRuns.map(() => '?').join(',')})` : '';
    const row = this.db
      .prepare(`SELECT * FROM approvals WHERE tool = ? AND args_hash = ? AND consumed = 0${skip} ORDER BY status = 'pending', created_at LIMIT 1`)
      .get(tool, argsHash, ...otherLiveRuns) as Row | undefined;
    return row && toApproval(row);
  }

  /** Decides a pending approval; false when it was already decided (the first decision wins). */
  resolve(id: string, resolution: Resolution): boolean {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(`UPDATE approvals SET status = ?, always = ?, expires_at = ?, decided_by = ?, decision_reason = ?, decided_at = ?
                  WHERE id = ? AND status = 'pending'`)
        .run(resolution.allow ? 'allowed' : 'denied', resolution.always ? 1 : 0, resolution.expiresAt ?? null, resolution.by, resolution.reason ?? null, new Date().toISOString(), id);
      if (changed.changes === 0) return false;
      const approval = this.get(id)!;
      if (resolution.allow && resolution.always) this.addGrant({ tool: approval.tool, args: approval.args, argsHash: approval.argsHash, expiresAt: resolution.expiresAt, createdBy: resolution.by, approvalId: id });
      return true;
    })();
  }

  /** Marks a decision as used; false when another call used it first. */
  consume(id: string): boolean {
    return this.db.prepare('UPDATE approvals SET consumed = 1 WHERE id = ? AND consumed = 0').run(id).changes > 0;
  }

  addGrant(input: Omit<Grant, 'id' | 'createdAt'>): Grant {
    const id = newId('grant');
    this.db
      .prepare('INSERT INTO grants (id, tool, args, args_hash, created_at, expires_at, created_by, approval_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.tool, this.redact(JSON.stringify(input.args)), input.argsHash, new Date().toISOString(), input.expiresAt ?? null, input.createdBy, input.approvalId ?? null);
    return this.listGrants().find((g) => g.id === id)!;
  }

  /** The id of a live grant for exactly this call. */
  findGrant(tool: string, argsHash: string, now = new Date()): string | undefined {
    // Asked on every guarded call: prepared once.
    this.grantQuery ??= this.db.prepare('SELECT id FROM grants WHERE tool = ? AND args_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) LIMIT 1');
    const row = this.grantQuery.get(tool, argsHash, now.toISOString()) as { id: string } | undefined;
    return row?.id;
  }

  listGrants(): Grant[] {
    return (this.db.prepare('SELECT * FROM grants WHERE revoked_at IS NULL ORDER BY created_at').all() as Row[]).map(toGrant);
  }

  revokeGrant(id: string): boolean {
    return this.db.prepare('UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id).changes > 0;
  }

  /** Swaps a stored value; returns the previous one. */
  swapMeta(key: string, value: string): string | undefined {
    return this.db.transaction(() => {
      const previous = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
      return previous?.value;
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function toApproval(row: Row): ApprovalRecord {
  return {
    id: String(row.id),
    createdAt: String(row.created_at),
    runId: String(row.run_id),
    tool: String(row.tool),
    args: JSON.parse(String(row.args)) as Record<string, unknown>,
    argsHash: String(row.args_hash),
    rule: String(row.rule),
    reason: String(row.reason),
    risk: String(row.risk) as RiskClass,
    status: String(row.status) as ApprovalStatus,
    always: row.always === 1,
    ...optional('expiresAt', row.expires_at),
    ...optional('decidedBy', row.decided_by),
    ...optional('decisionReason', row.decision_reason),
    ...optional('decidedAt', row.decided_at),
    consumed: row.consumed === 1,
  };
}

export function toGrant(row: Row): Grant {
  return {
    id: String(row.id),
    tool: String(row.tool),
    args: JSON.parse(String(row.args)) as Record<string, unknown>,
    argsHash: String(row.args_hash),
    createdAt: String(row.created_at),
    ...optional('expiresAt', row.expires_at),
    createdBy: String(row.created_by),
    ...optional('approvalId', row.approval_id),
  };
}

function optional<K extends string>(key: K, value: string | number | null | undefined): Partial<Record<K, string>> {
  return value === null || value === undefined ? {} : ({ [key]: String(value) } as Record<K, string>);
}
