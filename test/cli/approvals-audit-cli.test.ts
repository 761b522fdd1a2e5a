import { runRein, type CliResult } from '../support/cli.ts';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { UserQuestion } from '../../src/common/index.ts';
import { createTtyAsker } from '../../src/cli/tty-asker.ts';
import { openApprovalDesk, openAuditLog, parseConfig } from '../../src/runtime/index.ts';
import { tempDir } from '../support/fixtures.ts';


function rein(args: string[], home: string): Promise<CliResult> {
  return runRein(args, { env: { REIN_HOME: home } });
}

async function pendingApproval(home: string, amount: number): Promise<string> {
  const config = parseConfig('', { env: { REIN_HOME: home } });
  const { desk, close } = await openApprovalDesk(config);
  const approval = await desk.store.create({ runId: 'run_1', tool: 'payments__transfer', args: { amount, to: 'bob' }, argsHash: `hash${amount}`, rule: 'policy.default.write', reason: 'write tool', risk: 'write' });
  await close();
  return approval.id;
}

describe('rein approvals', () => {
  it('lists pending approvals and answers them from another terminal', async () => {
    const home = tempDir();
    const first = await pendingApproval(home, 700);
    const second = await pendingApproval(home, 800);
    const list = await rein(['approvals', 'list'], home);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${first}`);
    expect(list.stdout).toContain('payments__transfer({"amount":700,"to":"bob"})');

    expect((await rein(['approvals', 'allow', first, '--always', '--expires', '2h'], home))).toMatchObject({ code: 0, stdout: `allowed always: ${first}\n` });
    expect((await rein(['approvals', 'deny', second, '--reason', 'too much'], home))).toMatchObject({ code: 0, stdout: `denied: ${second}\n` });
    expect((await rein(['approvals', 'deny', second], home))).toMatchObject({ code: 1, stderr: expect.stringContaining('already decided') });
    expect((await rein(['approvals', 'allow', 'apr_nope'], home))).toMatchObject({ code: 1, stderr: expect.stringContaining('no approval with id apr_nope') });
    expect((await rein(['approvals', 'allow'], home)).code).toBe(2);
    expect((await rein(['approvals', 'allow', first, '--expires', 'soon'], home)).code).toBe(2);
    expect((await rein(['approvals', 'list'], home)).stdout).toBe('no pending approvals\n');

    const grants = await rein(['approvals', 'grants'], home);
    expect(grants.stdout).toMatch(/grant_\w+ {2}payments__transfer\(\{"amount":700,"to":"bob"\}\) {2}by cli {2}expires 20/);
    const grantId = /grant_\w+/.exec(grants.stdout)![0];
    expect((await rein(['approvals', 'revoke', grantId], home)).code).toBe(0);

    const log = openAuditLog({ dataDir: home, secrets: [] });
    expect([...log.entries()].map((e) => [e.kind, (e.data as { decision?: string; change?: string }).decision ?? (e.data as { change: string }).change])).toEqual([
      ['approval.resolved', 'allow_always'],
      ['policy.change', 'grant added'],
      ['approval.resolved', 'deny'],
      ['policy.change', 'grant revoked'],
    ]);
    log.close();
  }, 120_000);
});

describe('rein audit', () => {
  it('verify passes on an intact log, names the first tampered entry, and export writes JSONL', async () => {
    const home = tempDir();
    const log = openAuditLog({ dataDir: home, secrets: [] });
    for (let i = 1; i <= 3; i++) log.record('tool.call', { tool: 'echo', args: { i } }, 'run_1');
    log.close();
    expect(await rein(['audit', 'verify'], home)).toMatchObject({ code: 0, stdout: expect.stringContaining('✓ audit log intact: 3 entries') });

    const out = path.join(tempDir(), 'audit.jsonl');
    expect((await rein(['audit', 'export', '--out', out], home)).code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; data: unknown });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(lines[1]!.data).toEqual({ tool: 'echo', args: { i: 2 } });

    const db = new Database(path.join(home, 'audit.db'));
    db.exec("DROP TRIGGER audit_no_update; UPDATE audit SET data = '{\"tool\":\"echo\",\"args\":{\"i\":20}}' WHERE seq = 2");
    db.close();
    const broken = await rein(['audit', 'verify'], home);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('✗ audit log broken at entry 2: entry 2 (tool.call');
    expect((await rein(['audit', 'nope'], home)).code).toBe(2);
  }, 120_000);
});

describe('inline terminal approvals', () => {
  const question: UserQuestion = { id: 'apr_1', kind: 'approval', title: 'Allow pay?', message: 'pay 5', source: 'policy', allowAlways: true };

  it('answers y / a / n (with a reason); other questions go to the elicitation prompt', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const ask = createTtyAsker(input, output);
    const answers = [ask(question), ask(question), ask(question)];
    input.write('y\n');
    await expect(answers[0]).resolves.toMatchObject({ action: 'accept', by: 'user (terminal)' });
    input.write('a\n');
    await expect(answers[1]).resolves.toMatchObject({ action: 'accept', always: true });
    const reasonAsked = new Promise<void>((resolve) => output.on('data', () => shown.includes('reason for the model') && resolve()));
    input.write('n\n');
    await reasonAsked;
    input.write('looks like fraud\n');
    await expect(answers[2]).resolves.toMatchObject({ action: 'decline', reason: 'looks like fraud' });
    expect(shown).toContain('Allow pay? (approval apr_1; or answer with `rein approvals allow|deny apr_1`)');
    expect(shown).toContain('[y] allow once  [a] allow always  [n] deny');
    const elicitation = ask({ ...question, kind: 'elicitation', schema: { type: 'object', properties: {} } });
    input.write('n\n');
    await expect(elicitation).resolves.toMatchObject({ action: 'decline', by: 'cli' });
  });
});
