// The append-only audit log: each entry carries the hash of the one before, so any edit or deletion is detectable;
// each entry and the head are also authenticated (HMAC) with a key kept outside the data dir (audit-key.ts), so a
// rewrite by someone who can write the data dir but not read the key is detected too.
import path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, createRedactor, privateDir, privateFile, type Redactor } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { Keychain } from '../keychain/index.ts';
import { AuditKey, entryHash, entryMacText, headMacText, mac, macMatches } from './audit-key.ts';
import { HEAD_FLUSH_MS, HeadFile } from './audit-head.ts';
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
  private readonly head: HeadFile;
  private readonly db: Database.Database;
  private readonly redact: Redactor;
  private readonly key: AuditKey;
  private readonly lastRow: Database.Statement<[], Pick<Row, 'seq' | 'hash' | 'mac'>>;
  private readonly hashAt: Database.Statement<[number], string>;
  private readonly insert: Database.Statement<[number, string, string, string | null, string, string, string, string]>;
  private readonly appendTransaction: Database.Transaction<(kind: string, text: string, runId: string | null) => { row: Row; fresh: boolean }>;
  private readonly headTransaction: Database.Transaction<() => Head | undefined>;
  /** The log's end as this process last wrote or checked it: an unchanged end needs no re-check on the next append. */
  private known: { seq: number; hash: string } | undefined;
  private headTimer: NodeJS.Timeout | undefined;
  private backgroundFlush: Promise<void> | undefined;
  /** The seq of the last head this process wrote. */
  private headSeq = 0;

  constructor(dataDir: string, redact: Redactor, options: AuditLogOptions = {}) {
    privateDir(dataDir);
    this.file = path.join(dataDir, 'audit.db');
    privateFile(this.file);
    this.head = new HeadFile(path.join(dataDir, 'audit.head'), this.file);
    this.redact = redact;
    this.key = new AuditKey(dataDir, options.keychain);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    // Commits are not synced one by one; the head file is written only after the WAL was synced (audit-head.ts).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const columns = this.db.prepare('PRAGMA table_info(audit)').all() as Array<{ name: string }>;
    if (!columns.some((column) => column.name === 'mac')) this.db.exec('ALTER TABLE audit ADD COLUMN mac TEXT'); // a log from before keys
    this.lastRow = this.db.prepare('SELECT seq, hash, mac FROM audit ORDER BY seq DESC LIMIT 1');
    this.hashAt = this.db.prepare<[number], string>('SELECT hash FROM audit WHERE seq = ?').pluck();
    this.insert = this.db.prepare('INSERT INTO audit (seq, time, kind, run_id, data, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    // The chain's end is read inside the write transaction: safe across processes.
    this.appendTransaction = this.db.transaction((kind: string, text: string, runId: string | null) => {
      const last = this.lastRow.get();
      const { key, created } = this.key.obtain();
      let tail = last;
      const notice = created ? keyNotice(last) : this.tailProblem(key, last);
      if (notice) tail = this.append(key, tail, notice.kind, canonicalJson(notice.data), null);
      return { row: this.append(key, tail, kind, text, runId), fresh: !last || created };
    });
    this.headTransaction = this.db.transaction(() => this.currentHead());
  }

  /** Appends an entry (secrets redacted). The head file follows within HEAD_FLUSH_MS (at once for a new log). */
  record(kind: string, data: unknown, runId?: string): AuditEntry {
    const text = this.redact(canonicalJson(data));
    const { row, fresh } = this.appendTransaction.immediate(kind, text, runId ?? null);
    this.known = { seq: row.seq, hash: row.hash };
    if (fresh) this.flushHead();
    else this.scheduleHead();
    return toEntry(row);
  }

  private append(key: Buffer, last: Pick<Row, 'seq' | 'hash'> | undefined, kind: string, data: string, runId: string | null): Row {
    const fields = { seq: (last?.seq ?? 0) + 1, time: new Date().toISOString(), kind, run_id: runId, data };
    const prevHash = last?.hash ?? GENESIS;
    const hash = entryHash(prevHash, fields);
    const row: Row = { ...fields, prev_hash: prevHash, hash, mac: mac(key, entryMacText(hash)) };
    this.insert.run(row.seq, row.time, kind, runId, data, prevHash, hash, row.mac!);
    return row;
  }

  /** Why the log's end is not one to append to as is (then an `audit.break` entry says so first); undefined when it is. */
  private tailProblem(key: Buffer, last: Pick<Row, 'seq' | 'hash' | 'mac'> | undefined): { kind: string; data: unknown } | undefined {
    const known = this.known;
    if (known && last?.seq === known.seq && last.hash === known.hash) return undefined; // the end this process wrote: checked then
    if (known && (!last || last.seq <= known.seq)) {
      return { kind: 'audit.break', data: { problem: `the log ends at entry ${last?.seq ?? 0}, but this process wrote or checked entries up to ${known.seq} (entries removed or rewritten)` } };
    }
    return breakNotice(key, last, this.head.read(), (seq) => this.hashAt.get(seq));
  }

  /** Writes the head file for the log's current end now (else it follows within HEAD_FLUSH_MS, at close or at exit). */
  flushHead(): void {
    clearTimeout(this.headTimer);
    this.headTimer = undefined;
    if (!this.db.open) return;
    const head = this.headTransaction.immediate();
    if (head && head.seq > this.headSeq) {
      this.head.syncLog();
      this.head.write(head);
      this.headSeq = head.seq;
    }
    if (!this.backgroundFlush) headsDue.delete(this);
  }

  private scheduleHead(): void {
    markHeadDue(this);
    this.headTimer ??= setTimeout(() => {
      this.headTimer = undefined;
      this.flushInBackground();
    }, HEAD_FLUSH_MS).unref();
  }

  /** The head update due after appends: the log's fsync runs on the thread pool, off the step's path. One at a time. */
  private flushInBackground(): void {
    if (this.backgroundFlush) return this.scheduleHead();
    this.backgroundFlush = (async () => {
      const head = this.db.open ? this.headTransaction.immediate() : undefined;
      if (!head || head.seq <= this.headSeq) return;
      await this.head.syncLogInBackground();
      if (head.seq <= this.headSeq) return; // a synchronous flush (close, verify) wrote a newer head meanwhile
      this.head.write(head);
      this.headSeq = head.seq;
    })()
      .catch(() => this.scheduleHead()) // tried again later; until then the head lags (verify says which entries it does not cover)
      .finally(() => {
        this.backgroundFlush = undefined;
        if (!this.headTimer) headsDue.delete(this);
      });
  }

  private flushQuietly(): void {
    try {
      this.flushHead();
    } catch {
      // the head lags behind (verify says which entries it does not cover)
    }
  }

  /**
   * The head for the log's end, read inside a write transaction (a consistent end across processes). Never one that
   * vouches for an end shorter than what this process wrote or checked: the next append records the break instead.
   */
  private currentHead(): Head | undefined {
    const last = this.lastRow.get();
    const key = this.key.find();
    if (!last || !key) return undefined;
    const known = this.known;
    if (known && (last.seq < known.seq || (last.seq === known.seq && last.hash !== known.hash))) return undefined;
    if (!macMatches(key, entryMacText(last.hash), last.mac)) return undefined;
    return { seq: last.seq, hash: last.hash, mac: mac(key, headMacText(last.seq, last.hash)) };
  }

  *entries(): Generator<AuditEntry> {
    for (const row of this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) yield toEntry(row);
  }

  /** Walks the chain and checks every HMAC; names the first entry that was edited, deleted, re-linked or forged, and says what it cannot prove. */
  verify(): VerifyResult {
    if (this.headTimer || this.backgroundFlush) this.flushQuietly();
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>;
    return verifyChain(rows, this.head.read(), { key: this.key.find(), keyWhere: this.key.describe(), keyInsideDataDir: this.key.insideDataDir() });
  }

  close(): void {
    if (this.headTimer || this.backgroundFlush) this.flushQuietly();
    headsDue.delete(this);
    if (this.db.open) this.db.close();
  }
}

/** Logs with a head update due: brought up to date when the process exits without closing them. */
const headsDue = new Set<AuditLog>();
let exitHooked = false;

function markHeadDue(log: AuditLog): void {
  headsDue.add(log);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const log of headsDue) log.close();
  });
}

/** A key is made now: entries already in the log (from before keys) are vouched for from here on. */
function keyNotice(last: Pick<Row, 'seq'> | undefined): { kind: string; data: unknown } | undefined {
  if (!last) return undefined;
  return { kind: 'audit.key', data: { note: `audit key created; entries 1–${last.seq} were written before the log had a key (trusted on first use)`, entriesBefore: last.seq } };
}

/**
 * The key existed, yet the log's end is not one this key wrote (log deleted, replaced, or entries forged): say so in
 * the log itself before appending, so the new, authenticated entries do not vouch for a forged past. A head that
 * lags behind the end (its update was due when a process stopped) is fine when it names an entry of this log.
 */
function breakNotice(
  key: Buffer,
  last: Pick<Row, 'seq' | 'hash' | 'mac'> | undefined,
  head: Head | undefined,
  hashAt: (seq: number) => string | undefined,
): { kind: string; data: unknown } | undefined {
  let problem: string | undefined;
  if (!last) problem = head ? `the log was emptied (its head named entry ${head.seq})` : 'the log was missing although this data dir has an audit key (deleted or replaced)';
  else if (!macMatches(key, entryMacText(last.hash), last.mac)) problem = `entry ${last.seq}, the last one, was not written with the audit key (forged or rewritten)`;
  else if (!head) problem = 'the log\'s head file was missing';
  else if (!macMatches(key, headMacText(head.seq, head.hash), head.mac)) problem = 'the log\'s head file was not written with the audit key (rewritten)';
  else if (head.seq > last.seq) problem = `the log's head names entry ${head.seq}, but the log ends at entry ${last.seq} (entries removed from the end)`;
  else if (hashAt(head.seq) !== head.hash) problem = `the log's head file does not match entry ${head.seq} (entries rewritten or the head replaced)`;
  return problem ? { kind: 'audit.break', data: { problem } } : undefined;
}

/** A stored row as the entry callers see (data parsed back from JSON). */
export function toEntry(row: Row): AuditEntry {
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
