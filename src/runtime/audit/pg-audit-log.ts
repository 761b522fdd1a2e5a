// The audit log on a shared PostgreSQL database: the same hash chain and HMACs as the SQLite log, appended under a
// transaction-scoped advisory lock, so several hosts and workers append one chain and never fork it. The head (last
// seq and hash with its HMAC) is a row updated in the same transaction. Appends are queued in order and written
// off the tool call's path; flush() waits for them. The key: REIN_AUDIT_KEY (the same on every machine of a
// team), else the keychain entry for this database.
import type pg from 'pg';
import { canonicalJson, errorMessage, type Redactor } from '../base/index.ts';
import type { Keychain } from '../keychain/index.ts';
import { databaseIdentity, inTransaction, migrate, sharedPool, type SharedPool } from '../postgres/index.ts';
import { AuditKey, entryHash, entryMacText, headMacText, mac } from './audit-key.ts';
import { verifyChain, type Head, type Row, type VerifyResult } from './audit-verify.ts';
import { toEntry, type AuditEntry } from './audit-log.ts';

const GENESIS = '0'.repeat(64);
/** pg_advisory_xact_lock key of audit appends ('audt'). */
const AUDIT_LOCK = 0x61756474;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE audit (
     seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, run_id TEXT, data TEXT NOT NULL,
     prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT
   );
   CREATE TABLE audit_head (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), seq INTEGER NOT NULL, hash TEXT NOT NULL, mac TEXT);
   CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
   CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
   CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();`,
];

export interface PgAuditOptions {
  keychain?: Keychain;
  /** Reported when an append fails after its retries (the entry is kept and tried again with the next one). */
  onError?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export class PgAuditLog {
  readonly file: string;
  private readonly shared: SharedPool;
  private readonly pool: pg.Pool;
  private readonly redact: Redactor;
  private readonly key: AuditKey;
  private readonly onError: (message: string) => void;
  private readonly queue: { kind: string; text: string; runId: string | null }[] = [];
  private writing: Promise<void> | undefined;
  private failures = 0;

  private constructor(shared: SharedPool, redact: Redactor, key: AuditKey, onError: (message: string) => void) {
    this.shared = shared;
    this.pool = shared.pool;
    this.file = `${shared.where} (table audit)`;
    this.redact = redact;
    this.key = key;
    this.onError = onError;
  }

  static async open(url: string, dataDir: string, redact: Redactor, options: PgAuditOptions = {}): Promise<PgAuditLog> {
    const shared = sharedPool(url);
    try {
      await migrate(shared.pool, 'audit', MIGRATIONS, shared.where);
      const key = new AuditKey(dataDir, options.keychain, { account: databaseIdentity(url), ...(options.env ? { env: options.env } : {}) });
      const log = new PgAuditLog(shared, redact, key, options.onError ?? (() => undefined));
      await log.checkKey();
      return log;
    } catch (error) {
      await shared.release();
      throw error;
    }
  }

  /** A keyed log needs its key here too: entries without it would break the chain's authentication. */
  private async checkKey(): Promise<void> {
    if (this.key.find()) return;
    const { rows } = await this.pool.query<{ keyed: boolean }>('SELECT EXISTS (SELECT 1 FROM audit WHERE mac IS NOT NULL) AS keyed');
    if (rows[0]?.keyed) {
      throw new Error(`the audit log on ${this.shared.where} is authenticated with a key this machine does not have: set REIN_AUDIT_KEY to the team's key (64 hex digits) on every host and worker`);
    }
  }

  /** Queues an entry (secrets redacted); written in order, off the caller's path. */
  record(kind: string, data: unknown, runId?: string): void {
    this.queue.push({ kind, text: this.redact(canonicalJson(data)), runId: runId ?? null });
    this.writing ??= this.drain();
  }

  /** Resolves when every entry recorded so far is written (or failed for good). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const next = this.queue[0]!;
        try {
          await this.append(next.kind, next.text, next.runId);
          this.queue.shift();
          this.failures = 0;
        } catch (error) {
          if (++this.failures >= 5) {
            this.onError(`cannot append to the audit log on ${this.shared.where}: ${errorMessage(error)} (${this.queue.length} entries waiting; retried with the next entry)`);
            this.failures = 0;
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 100 * this.failures));
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Appends one entry at the chain's end, read under the lock in the same transaction; the head row follows. */
  private append(kind: string, text: string, runId: string | null): Promise<Row> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
      const { rows } = await client.query<Row>('SELECT * FROM audit ORDER BY seq DESC LIMIT 1');
      let last: Pick<Row, 'seq' | 'hash'> | undefined = rows[0];
      const { key, created } = this.key.obtain();
      if (created && last) last = await insert(client, key, last, 'audit.key', canonicalJson({ note: `audit key created; entries 1–${last.seq} were written before the log had a key (trusted on first use)`, entriesBefore: last.seq }), null);
      const row = await insert(client, key, last, kind, text, runId);
      const head = mac(key, headMacText(row.seq, row.hash));
      await client.query('INSERT INTO audit_head (one, seq, hash, mac) VALUES (true, $1, $2, $3) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac', [row.seq, row.hash, head]);
      return row;
    });
  }

  async *entries(): AsyncGenerator<AuditEntry> {
    await this.flush();
    for (let after = 0; ; ) {
      const { rows } = await this.pool.query<Row>('SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT 1000', [after]);
      if (!rows.length) return;
      for (const row of rows) yield toEntry(row);
      after = rows.at(-1)!.seq;
    }
  }

  /** Walks the chain and checks every HMAC and the head row. */
  async verify(): Promise<VerifyResult> {
    await this.flush();
    const { rows } = await this.pool.query<Row>('SELECT * FROM audit ORDER BY seq');
    const head = (await this.pool.query<Head>('SELECT seq, hash, mac FROM audit_head')).rows[0];
    return verifyChain(rows, head, { key: this.key.find(), keyWhere: this.key.describe(), keyInsideDataDir: false });
  }

  async close(): Promise<void> {
    await this.flush();
    await this.shared.release();
  }
}

async function insert(client: pg.PoolClient, key: Buffer, last: Pick<Row, 'seq' | 'hash'> | undefined, kind: string, data: string, runId: string | null): Promise<Row> {
  const fields = { seq: (last?.seq ?? 0) + 1, time: new Date().toISOString(), kind, run_id: runId, data };
  const prevHash = last?.hash ?? GENESIS;
  const hash = entryHash(prevHash, fields);
  const row: Row = { ...fields, prev_hash: prevHash, hash, mac: mac(key, entryMacText(hash)) };
  await client.query('INSERT INTO audit (seq, time, kind, run_id, data, prev_hash, hash, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    row.seq, row.time, kind, runId, data, prevHash, hash, row.mac,
  ]);
  return row;
}
