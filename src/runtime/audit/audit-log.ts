// The append-only audit log: each entry carries the hash of the one before, so any edit or deletion is detectable;
// each entry and the head are also authenticated (HMAC) with a key kept outside the data dir (audit-key.ts), so a
// rewrite by someone who can write the data dir but not read the key is detected too.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, createRedactor, privateDir, privateFile, type Redactor } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { Keychain } from '../keychain/index.ts';
import { AuditKey, entryHash, entryMacText, headMacText, mac, macMatches } from './audit-key.ts';
import { verifyChain, type Head, type Row, type VerifyResult } from './audit-verify.ts';

export type { VerifyResult } from './audit-verify.ts';

export interface AuditEntry {
  seq: number;
  time: string;
  kind: string;
  runId?: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, run_id TEXT, data TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

export interface AuditLogOptions {
  /** Where the key lives (default: the OS keychain, else a file under the state home). */
  keychain?: Keychain;
}

export class AuditLog {
  readonly file: string;
  /** The last entry's seq and hash (and their HMAC), kept beside the database so removing entries from the end is detected too. */
  private readonly headFile: string;
  private readonly db: Database.Database;
  private readonly redact: Redactor;
  private readonly key: AuditKey;

  constructor(dataDir: string, redact: Redactor, options: AuditLogOptions = {}) {
    privateDir(dataDir);
    this.file = path.join(dataDir, 'audit.db');
    privateFile(this.file);
    this.headFile = path.join(dataDir, 'audit.head');
    this.redact = redact;
    this.key = new AuditKey(dataDir, options.keychain);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const columns = this.db.prepare('PRAGMA table_info(audit)').all() as Array<{ name: string }>;
    if (!columns.some((column) => column.name === 'mac')) this.db.exec('ALTER TABLE audit ADD COLUMN mac TEXT'); // a log from before keys
  }

  /** Appends an entry (secrets redacted). Safe across processes: the chain head is read inside the write transaction. */
  record(kind: string, data: unknown, runId?: string): AuditEntry {
    const text = this.redact(canonicalJson(data));
    const append = this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash, mac FROM audit ORDER BY seq DESC LIMIT 1').get() as Pick<Row, 'seq' | 'hash' | 'mac'> | undefined;
      const { key, created } = this.key.obtain();
      let tail = last;
      const notice = created ? keyNotice(last) : breakNotice(key, last, this.readHead());
      if (notice) tail = this.append(key, tail, notice.kind, canonicalJson(notice.data), null);
      const row = this.append(key, tail, kind, text, runId ?? null);
      return toEntry(row);
    });
    return append.immediate();
  }

  private append(key: Buffer, last: Pick<Row, 'seq' | 'hash'> | undefined, kind: string, data: string, runId: string | null): Row {
    const fields = { seq: (last?.seq ?? 0) + 1, time: new Date().toISOString(), kind, run_id: runId, data };
    const prevHash = last?.hash ?? GENESIS;
    const hash = entryHash(prevHash, fields);
    const row: Row = { ...fields, prev_hash: prevHash, hash, mac: mac(key, entryMacText(hash)) };
    this.db.prepare('INSERT INTO audit (seq, time, kind, run_id, data, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(row.seq, row.time, kind, runId, data, prevHash, hash, row.mac);
    const head: Head = { seq: row.seq, hash, mac: mac(key, headMacText(row.seq, hash)) };
    fs.writeFileSync(this.headFile, JSON.stringify(head), { mode: 0o600 });
    return row;
  }

  *entries(): Generator<AuditEntry> {
    for (const row of this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) yield toEntry(row);
  }

  /** Walks the chain and checks every HMAC; names the first entry that was edited, deleted, re-linked or forged, and says what it cannot prove. */
  verify(): VerifyResult {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>;
    return verifyChain(rows, this.readHead(), { key: this.key.find(), keyWhere: this.key.describe(), keyInsideDataDir: this.key.insideDataDir() });
  }

  private readHead(): Head | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.headFile, 'utf8')) as Head;
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A key is made now: entries already in the log (from before keys) are vouched for from here on. */
function keyNotice(last: Pick<Row, 'seq'> | undefined): { kind: string; data: unknown } | undefined {
  if (!last) return undefined;
  return { kind: 'audit.key', data: { note: `audit key created; entries 1–${last.seq} were written before the log had a key (trusted on first use)`, entriesBefore: last.seq } };
}

/**
 * The key existed, yet the log's end is not one this key wrote (log deleted, replaced, or entries forged): say so in
 * the log itself before appending, so the new, authenticated entries do not vouch for a forged past.
 */
function breakNotice(key: Buffer, last: Pick<Row, 'seq' | 'hash' | 'mac'> | undefined, head: Head | undefined): { kind: string; data: unknown } | undefined {
  let problem: string | undefined;
  if (!last) problem = head ? `the log was emptied (its head named entry ${head.seq})` : 'the log was missing although this data dir has an audit key (deleted or replaced)';
  else if (!macMatches(key, entryMacText(last.hash), last.mac)) problem = `entry ${last.seq}, the last one, was not written with the audit key (forged or rewritten)`;
  else if (head && (head.seq !== last.seq || head.hash !== last.hash || !macMatches(key, headMacText(head.seq, head.hash), head.mac))) problem = `the log's head file does not match its last entry ${last.seq} (entries removed or the head rewritten)`;
  else if (!head) problem = 'the log\'s head file was missing';
  return problem ? { kind: 'audit.break', data: { problem } } : undefined;
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
export function openAuditLog(config: Pick<ReinConfig, 'dataDir' | 'secrets'>, options: AuditLogOptions = {}): AuditLog {
  return new AuditLog(config.dataDir, createRedactor(config.secrets), options);
}
