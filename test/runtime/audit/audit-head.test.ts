// The head file is written off the tool call's path: it follows the log within a second and at close, a head left
// behind by a stopped process is accepted (and verify says which entries it does not cover), and entries removed
// while a process has the log open are still noticed.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/runtime/audit/index.ts';
import { tempDir } from '../../support/fixtures.ts';

const same = (text: string) => text;
const headOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'audit.head'), 'utf8')) as { seq: number };

function verify(dir: string) {
  const log = new AuditLog(dir, same);
  try {
    return log.verify();
  } finally {
    log.close();
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('audit head', () => {
  it('is written at once for a new log, then follows the log within a second, and at close', async () => {
    const dir = tempDir('rein-audit-');
    const log = new AuditLog(dir, same);
    log.record('tool.call', { i: 1 });
    expect(headOf(dir).seq).toBe(1);
    log.record('tool.call', { i: 2 });
    log.record('tool.call', { i: 3 });
    const behind = verify(dir); // another reader while the head is due: fine, and said
    expect(behind).toMatchObject({ ok: true, entries: 3 });
    if (headOf(dir).seq < 3) expect(behind.proof.limits.join('\n')).toContain('entries 2–3 were written after its last update');
    await until(() => headOf(dir).seq === 3);
    log.record('tool.call', { i: 4 });
    log.close();
    expect(headOf(dir).seq).toBe(4);
    const result = verify(dir);
    expect(result).toMatchObject({ ok: true, entries: 4, proof: { authenticated: 4 } });
    expect(result.proof.limits.join('\n')).not.toContain('after its last update');
  });

  it('accepts a head left behind by a process that stopped before updating it; the next process appends without a break', () => {
    const dir = tempDir('rein-audit-');
    const first = new AuditLog(dir, same);
    for (let i = 1; i <= 3; i++) first.record('tool.call', { i });
    first.close();
    const stale = fs.readFileSync(path.join(dir, 'audit.head'));
    const second = new AuditLog(dir, same);
    second.record('tool.call', { i: 4 });
    second.record('tool.call', { i: 5 });
    second.close();
    fs.writeFileSync(path.join(dir, 'audit.head'), stale); // as if the second process had died before its head update
    const lagging = verify(dir);
    expect(lagging).toMatchObject({ ok: true, entries: 5, proof: { authenticated: 5 } });
    expect(lagging.proof.limits.join('\n')).toContain('the head file names entry 3: entries 4–5 were written after its last update');

    const third = new AuditLog(dir, same);
    third.record('tool.call', { i: 6 });
    third.close();
    expect([...new AuditLog(dir, same).entries()].map((e) => e.kind)).not.toContain('audit.break');
    expect(headOf(dir).seq).toBe(6);
    expect(verify(dir)).toMatchObject({ ok: true, entries: 6 });
  });

  it('notices entries removed from the end while the log is open, before the head covers them', () => {
    const dir = tempDir('rein-audit-');
    const log = new AuditLog(dir, same);
    for (let i = 1; i <= 3; i++) log.record('tool.call', { i });
    const attacker = new Database(path.join(dir, 'audit.db'));
    attacker.exec('DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3;');
    attacker.close();
    log.flushHead(); // does not vouch for the cut log
    expect(headOf(dir).seq).toBe(1);
    log.record('tool.call', { i: 4 });
    log.close();
    const kinds = [...new AuditLog(dir, same).entries()].map((e) => e.kind);
    expect(kinds).toEqual(['tool.call', 'tool.call', 'audit.break', 'tool.call']);
    expect(verify(dir)).toMatchObject({ ok: false, brokenSeq: 3, problem: expect.stringContaining('this process wrote or checked entries up to 3') });
  });

  it('still detects a head that names more entries than the log has', () => {
    const dir = tempDir('rein-audit-');
    const log = new AuditLog(dir, same);
    for (let i = 1; i <= 3; i++) log.record('tool.call', { i });
    log.close();
    const attacker = new Database(path.join(dir, 'audit.db'));
    attacker.exec('DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3;');
    attacker.close();
    expect(verify(dir)).toMatchObject({ ok: false, brokenSeq: 3, problem: 'entries 3–3 are missing (deleted from the end of the log)' });
    const next = new AuditLog(dir, same);
    next.record('tool.call', { i: 4 });
    next.close();
    const entries = [...new AuditLog(dir, same).entries()];
    expect(entries.at(-2)).toMatchObject({ kind: 'audit.break', data: { problem: expect.stringContaining('entries removed from the end') } });
  });
});
