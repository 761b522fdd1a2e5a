// `audit verify`: walks the hash chain, checks each entry's and the head's HMAC, and says exactly what it proved.
import { entryHash, entryMacText, headMacText, macMatches } from './audit-key.ts';

export interface Row {
  seq: number;
  time: string;
  kind: string;
  run_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
  /** HMAC of the hash with the audit key; null for entries written before the log had a key. */
  mac: string | null;
}

/** The last entry as recorded beside the database (`audit.head`), with its HMAC. */
export interface Head {
  seq: number;
  hash: string;
  mac?: string;
}

export interface VerifyProof {
  /** Where the key is, or that none was found. */
  key: string;
  /** Entries 1..authenticated are covered by an HMAC made with the key (directly or through the chain). */
  authenticated: number;
  /** What this check cannot prove. */
  limits: string[];
}

export type VerifyResult = ({ ok: true; entries: number } | { ok: false; entries: number; brokenSeq: number; problem: string }) & { proof: VerifyProof };

export interface VerifyKey {
  key: Buffer | undefined;
  keyWhere: string;
  keyInsideDataDir: boolean;
}

const GENESIS = '0'.repeat(64);

export function verifyChain(rows: Iterable<Row>, head: Head | undefined, { key, keyWhere, keyInsideDataDir }: VerifyKey): VerifyResult {
  let prevHash = GENESIS;
  let count = 0;
  let authenticated = 0;
  let keyedAfter: number | undefined; // entries before the key was made (`audit.key`)
  let headHash: string | undefined; // the hash of the entry the head names
  const proof = (): VerifyProof => ({ key: keyWhere, authenticated: key ? authenticated : 0, limits: limits(key, keyInsideDataDir, keyedAfter, count, head) });
  const broken = (brokenSeq: number, problem: string): VerifyResult => ({ ok: false, entries: count, brokenSeq, problem, proof: proof() });
  for (const row of rows) {
    const expected = count + 1;
    if (row.seq !== expected) return broken(expected, `entry ${expected} is missing (deleted); the next entry is ${row.seq}`);
    if (row.prev_hash !== prevHash) return broken(row.seq, `entry ${row.seq} does not link to the entry before it (an earlier entry was changed or removed)`);
    if (entryHash(prevHash, row) !== row.hash) return broken(row.seq, `entry ${row.seq} (${row.kind}, ${row.time}) was modified: its content does not match its hash`);
    if (row.mac !== null) {
      if (key && !macMatches(key, entryMacText(row.hash), row.mac)) {
        return broken(row.seq, `entry ${row.seq} (${row.kind}, ${row.time}) has a wrong authentication code: written or rewritten without the audit key`);
      }
      authenticated = row.seq;
    } else if (authenticated > 0 || keyedAfter !== undefined) {
      return broken(row.seq, `entry ${row.seq} (${row.kind}, ${row.time}) has no authentication code: added without the audit key`);
    }
    if (row.kind === 'audit.key') keyedAfter = row.seq - 1;
    if (row.kind === 'audit.break') return broken(row.seq, `when entry ${row.seq} was written (${row.time}), Rein found: ${problemOf(row.data)}`);
    if (row.seq === head?.seq) headHash = row.hash;
    prevHash = row.hash;
    count++;
  }
  const atHead = checkHead(head, count, headHash, key);
  return atHead ? broken(atHead.seq, atHead.problem) : { ok: true, entries: count, proof: proof() };
}

/**
 * The head names the last entry — or an earlier one: it is written off the tool call's path (audit-head.ts), so a
 * process that stopped before its update leaves it behind the end. Entries after it are still chained and
 * authenticated (checked above); only their removal would not be noticed, which `limits` says.
 */
function checkHead(head: Head | undefined, count: number, headHash: string | undefined, key: Buffer | undefined): { seq: number; problem: string } | undefined {
  if (!head) {
    if (!key) return undefined;
    return count === 0
      ? { seq: 1, problem: 'the log is gone: this data dir has an audit key, so entries were written, but the log and its head were deleted' }
      : { seq: count, problem: 'the log\'s head file is missing (removed to hide entries deleted from the end?)' };
  }
  if (key && !macMatches(key, headMacText(head.seq, head.hash), head.mac)) return { seq: Math.min(head.seq, count + 1), problem: 'the log\'s head file was written without the audit key (rewritten)' };
  if (head.seq > count) return { seq: count + 1, problem: `entries ${count + 1}–${head.seq} are missing (deleted from the end of the log)` };
  if (head.hash !== headHash) return { seq: head.seq, problem: `entry ${head.seq} does not match the recorded head of the log (rewritten)` };
  return undefined;
}

function limits(key: Buffer | undefined, keyInsideDataDir: boolean, keyedAfter: number | undefined, count: number, head: Head | undefined): string[] {
  const out: string[] = [];
  if (!key) out.push('no audit key was found, so nothing is authenticated: the chain only shows the entries are consistent with each other, and someone who can write the data dir could have rewritten all of them');
  if (keyInsideDataDir) out.push('the audit key is stored inside the data dir, so whoever can write the data dir can also forge entries');
  if (key && keyedAfter) out.push(`entries 1–${keyedAfter} were written before the log had a key: they are vouched for from the moment the key was made (entry ${keyedAfter + 1}), not before`);
  if (head && head.seq > 0 && head.seq < count) {
    out.push(`the head file names entry ${head.seq}: entries ${head.seq + 1}–${count} were written after its last update (it follows within a second, or the writing process stopped first); they are authenticated, but had more entries been removed from the end, that would not show`);
  }
  if (key && count > 0) out.push('a rollback of the whole log to an earlier copy of itself (database and head file together) cannot be detected');
  if (key) out.push('whoever can read the audit key (same user account) can forge entries');
  return out;
}

function problemOf(data: string): string {
  try {
    return String((JSON.parse(data) as { problem?: unknown }).problem ?? data);
  } catch {
    return data;
  }
}
