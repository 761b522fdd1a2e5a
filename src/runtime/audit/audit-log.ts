// The append-only audit log: each entry carries the hash of the one before, so any edit or deletion is detectable.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, createRedactor, sha256, type Redactor } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';

export interface AuditEntry {
  seq: number;
  time: string;
  kind: string;
  runId?: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

export type VerifyResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenSeq: number; problem: string };

const GENESIS = '0'.repeat(64);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, run_id TEXT, data TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

interface Row {
  seq: number;
  time: string;
  kind: string;
  run_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

function entryHash(prevHash: string, row: Omit<Row, 'prev_hash' | 'hash'>): string {
  return sha256(`${prevHash}\n${canonicalJson([row.seq, row.time, row.kind, row.run_id, row.data])}`);
}

export class AuditLog {
  readonly file: string;
  /** The last entry's seq and hash, kept beside the database so removing entries from the end is detected too. */
  private readonly headFile: string;
  private readonly db: Database.Database;
  private readonly redact: Redactor;

  constructor(dataDir: string, redact: Redactor) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'audit.db');
    this.headFile = path.join(dataDir, 'audit.head');
    this.redact = redact;
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  /** Appends an entry (secrets redacted). Safe across processes: the chain head is read inside the write transaction. */
  record(kind: string, data: unknown, runId?: string): AuditEntry {
    const text = this.redact(canonicalJson(data));
    const append = this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const row = { seq: (last?.seq ?? 0) + 1, time: new Date().toISOString(), kind, run_id: runId ?? null, data: text };
      const prevHash = last?.hash ?? GENESIS;
      const hash = entryHash(prevHash, row);
      this.db.prepare('INSERT INTO audit (seq, time, kind, run_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(row.seq, row.time, kind, row.run_id, text, prevHash, hash);
      fs.writeFileSync(this.headFile, JSON.stringify({ seq: row.seq, hash }));
      return toEntry({ ...row, prev_hash: prevHash, hash });
    });
    return append.immediate();
  }

  *entries(): Generator<AuditEntry> {
    for (const row of this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) yield toEntry(row);
  }

  /** Walks the chain; names the first entry that was edited, deleted or re-linked. */
  verify(): VerifyResult {
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let count = 0;
    for (const row of this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) {
      if (row.seq !== expectedSeq) {
        return { ok: false, entries: count, brokenSeq: expectedSeq, problem: `entry ${expectedSeq} is missing (deleted); the next entry is ${row.seq}` };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, entries: count, brokenSeq: row.seq, problem: `entry ${row.seq} does not link to the entry before it (an earlier entry was changed or removed)` };
      }
      if (entryHash(prevHash, row) !== row.hash) {
        return { ok: false, entries: count, brokenSeq: row.seq, problem: `entry ${row.seq} (${row.kind}, ${row.time}) was modified: its content does not match its hash` };
      }
      prevHash = row.hash;
      expectedSeq++;
      count++;
    }
    const head = this.readHead();
    if (head && head.seq > count) {
      return { ok: false, entries: count, brokenSeq: count + 1, problem: `entries ${count + 1}–${head.seq} are missing (deleted from the end of the log)` };
    }
    if (head && head.seq === count && head.hash !== prevHash) {
      return { ok: false, entries: count - 1, brokenSeq: count, problem: `entry ${count} does not match the recorded head of the log (rewritten)` };
    }
    return { ok: true, entries: count };
  }

  private readHead(): { seq: number; hash: string } | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.headFile, 'utf8')) as { seq: number; hash: string };
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toEntry(row: Row): AuditEntry {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    data = row.data;
  }
  return { seq: row.seq, time: row.time, kind: row.kind, ...(row.run_id ? { runId: row.run_id } : {}), data, prevHash: row.prev_hash, hash: row.hash };
}

/** The audit log of a config's data dir, redacting its secrets. */
export function openAuditLog(config: Pick<ReinConfig, 'dataDir' | 'secrets'>): AuditLog {
  return new AuditLog(config.dataDir, createRedactor(config.secrets));
}
