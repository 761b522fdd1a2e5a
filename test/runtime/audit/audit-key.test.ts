// The audit chain is authenticated with a key outside the data dir: rewrites by someone who can only write the data
// dir are detected, and verify says what it cannot prove.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/runtime/audit/index.ts';
import { canonicalJson, sha256 } from '../../../src/runtime/base/index.ts';
import { openKeychain } from '../../../src/runtime/keychain/index.ts';
import { tempDir } from '../../support/fixtures.ts';

const same = (text: string) => text;

function logWith(entries: number): { dir: string; open: () => AuditLog } {
  const dir = tempDir('rein-audit-');
  const log = new AuditLog(dir, same);
  for (let i = 1; i <= entries; i++) log.record('tool.call', { tool: 'echo', i });
  log.close();
  return { dir, open: () => new AuditLog(dir, same) };
}

/** What an attacker with write access to the data dir (and no key) can do: SQL on the file, rewrite the head. */
function attack(dir: string, sql: string): void {
  const db = new Database(path.join(dir, 'audit.db'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.exec(sql);
  db.close();
}

/** Recomputes every hash from `from` on, as the pre-key code did, and writes a matching head file. */
function rechain(dir: string): void {
  const db = new Database(path.join(dir, 'audit.db'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update;');
  let prev = '0'.repeat(64);
  const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Array<{ seq: number; time: string; kind: string; run_id: string | null; data: string }>;
  for (const row of rows) {
    const hash = sha256(`${prev}\n${canonicalJson([row.seq, row.time, row.kind, row.run_id, row.data])}`);
    db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq);
    prev = hash;
  }
  db.close();
  fs.writeFileSync(path.join(dir, 'audit.head'), JSON.stringify({ seq: rows.length, hash: prev, mac: 'f'.repeat(64) }));
}

function verify(open: () => AuditLog) {
  const log = open();
  try {
    return log.verify();
  } finally {
    log.close();
  }
}

describe('audit key', () => {
  it('authenticates every entry with a key kept outside the data dir', () => {
    const { dir, open } = logWith(3);
    const result = verify(open);
    expect(result).toMatchObject({ ok: true, entries: 3, proof: { authenticated: 3 } });
    expect(result.proof.key).toContain(process.env.REIN_KEYCHAIN_DIR!);
    expect(result.proof.limits.join('\n')).toMatch(/rollback/);
    expect(fs.readdirSync(dir).some((name) => name.includes('secret'))).toBe(false);
  });

  it('detects an edit with the whole chain recomputed', () => {
    const { dir, open } = logWith(4);
    attack(dir, `UPDATE audit SET data = replace(data, '"i":2', '"i":99') WHERE seq = 2`);
    rechain(dir);
    expect(verify(open)).toMatchObject({ ok: false, brokenSeq: 2, problem: expect.stringContaining('wrong authentication code') });
  });

  it('detects truncation with the head file rewritten, and with it deleted', () => {
    const rewritten = logWith(5);
    attack(rewritten.dir, 'DELETE FROM audit WHERE seq >= 4');
    const last = new Database(path.join(rewritten.dir, 'audit.db')).prepare('SELECT hash FROM audit WHERE seq = 3').get() as { hash: string };
    fs.writeFileSync(path.join(rewritten.dir, 'audit.head'), JSON.stringify({ seq: 3, hash: last.hash }));
    expect(verify(rewritten.open)).toMatchObject({ ok: false, problem: expect.stringContaining('head file was written without the audit key') });

    const deleted = logWith(5);
    attack(deleted.dir, 'DELETE FROM audit WHERE seq >= 4');
    fs.rmSync(path.join(deleted.dir, 'audit.head'));
    expect(verify(deleted.open)).toMatchObject({ ok: false, problem: expect.stringContaining('head file is missing') });
  });

  it('detects a deleted log, also after new entries were written to a fresh one', () => {
    const { dir, open } = logWith(3);
    for (const name of fs.readdirSync(dir)) if (name.startsWith('audit.')) fs.rmSync(path.join(dir, name));
    expect(verify(open)).toMatchObject({ ok: false, brokenSeq: 1, problem: expect.stringContaining('the log is gone') });
    const log = open();
    log.record('tool.call', { after: true });
    log.close();
    expect(verify(open)).toMatchObject({ ok: false, brokenSeq: 1, problem: expect.stringContaining('the log was missing although this data dir has an audit key') });
  });

  it('detects an appended forged entry (correct chain and head, no key)', () => {
    const { dir, open } = logWith(2);
    const db = new Database(path.join(dir, 'audit.db'));
    const last = db.prepare('SELECT hash FROM audit WHERE seq = 2').get() as { hash: string };
    const row = { seq: 3, time: new Date().toISOString(), kind: 'approval.resolved', run_id: null, data: '{"decision":"allow"}' };
    const hash = sha256(`${last.hash}\n${canonicalJson([row.seq, row.time, row.kind, row.run_id, row.data])}`);
    db.prepare('INSERT INTO audit (seq, time, kind, run_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(row.seq, row.time, row.kind, null, row.data, last.hash, hash);
    db.close();
    fs.writeFileSync(path.join(dir, 'audit.head'), JSON.stringify({ seq: 3, hash }));
    expect(verify(open)).toMatchObject({ ok: false, brokenSeq: 3, problem: expect.stringContaining('no authentication code') });
  });

  it('a log from before keys is vouched for from the key on, and verify says so', () => {
    const dir = tempDir('rein-audit-');
    const db = new Database(path.join(dir, 'audit.db'));
    db.exec('CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, run_id TEXT, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)');
    const hash = sha256(`${'0'.repeat(64)}\n${canonicalJson([1, 't', 'old', null, '{}'])}`);
    db.prepare('INSERT INTO audit VALUES (1, ?, ?, NULL, ?, ?, ?)').run('t', 'old', '{}', '0'.repeat(64), hash);
    db.close();
    fs.writeFileSync(path.join(dir, 'audit.head'), JSON.stringify({ seq: 1, hash }));
    const before = verify(() => new AuditLog(dir, same, { keychain: openKeychain({ env: { REIN_KEYCHAIN_DIR: path.join(dir, '..', 'none'), REIN_KEYCHAIN: 'file' } }) }));
    expect(before).toMatchObject({ ok: true, entries: 1, proof: { authenticated: 0, limits: [expect.stringContaining('nothing is authenticated')] } });
    const log = new AuditLog(dir, same);
    log.record('tool.call', { new: true });
    log.close();
    const after = verify(() => new AuditLog(dir, same));
    expect(after).toMatchObject({ ok: true, entries: 3, proof: { authenticated: 3 } });
    expect(after.proof.limits.join('\n')).toContain('entries 1–1 were written before the log had a key');
  });
});
