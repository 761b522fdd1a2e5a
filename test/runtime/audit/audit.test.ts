import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditExtension, openAuditLog, PolicyExtension, Runtime, type ReinConfig } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';

function tamper(config: ReinConfig, sql: string): void {
  const db = new Database(path.join(config.dataDir, 'audit.db'));
  db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  db.exec(sql);
  db.close();
}

describe('audit log', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  async function auditedRun(config: ReinConfig): Promise<string> {
    const runtime = new Runtime({ config, tools: [echoTool(), echoTool('note', 'write')], retry: { retries: 0 } });
    ollama.script([
      { toolCalls: [{ name: 'echo', arguments: { text: 'hello' } }] },
      { toolCalls: [{ name: 'note', arguments: { text: 'remember' } }] },
      { content: 'done' },
    ]);
    const run = runtime.startRun('audit me');
    await run.result;
    await runtime.close();
    return run.runId;
  }

  it('records every model call (provider, host, model, tokens), every tool call with arguments and outcome, and approval decisions, in a verifiable chain', async () => {
    const config = testConfig('', ollama.url);
    const runId = await auditedRun(config);
    const log = openAuditLog(config);
    const entries = [...log.entries()];
    expect(entries.map((e) => e.kind)).toEqual(['policy.change', 'model.call', 'tool.call', 'model.call', 'approval.requested', 'approval.resolved', 'tool.call', 'model.call']); // (how a run ended is not written as a note)
    expect(entries[0]!.data).toMatchObject({ change: 'policy loaded', policy: { offline: true } });
    expect(entries[1]).toMatchObject({ seq: 2, runId, data: { step: 1, provider: 'ollama', host: ollama.url, model: 'qwen3:4b', usage: { promptTokens: 10, completionTokens: 5 }, toolCalls: 1 } });
    expect(entries[2]).toMatchObject({ seq: 3, runId, data: { tool: 'echo', args: { text: 'hello' }, ok: true, output: 'echo: hello' } });
    expect(entries[5]!.data).toMatchObject({ tool: 'note', decision: 'deny', by: 'runtime' });
    expect(entries[6]!.data).toMatchObject({ tool: 'note', ok: false, error: expect.stringContaining('not approved') });
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
    expect(log.verify()).toMatchObject({ ok: true, entries: 8, proof: { authenticated: 8 } });
    expect(() => new Database(log.file).prepare("UPDATE audit SET kind = 'x' WHERE seq = 1").run()).toThrow('append-only');
    log.close();
  });

  it('verify names the first edited entry', async () => {
    const config = testConfig('', ollama.url);
    await auditedRun(config);
    tamper(config, `UPDATE audit SET data = replace(data, 'hello', 'bye') WHERE seq = 3`);
    const log = openAuditLog(config);
    expect(log.verify()).toMatchObject({ ok: false, brokenSeq: 3, problem: expect.stringContaining('entry 3 (tool.call') });
    log.close();
  });

  it('verify names deleted entries (also at the end), and a re-hashed edit still breaks the link to the next entry', async () => {
    const config = testConfig('', ollama.url);
    await auditedRun(config);
    tamper(config, 'DELETE FROM audit WHERE seq = 3');
    const log = openAuditLog(config);
    expect(log.verify()).toMatchObject({ ok: false, brokenSeq: 3, problem: 'entry 3 is missing (deleted); the next entry is 4' });
    log.close();

    const truncated = testConfig('', ollama.url);
    await auditedRun(truncated);
    tamper(truncated, 'DELETE FROM audit WHERE seq >= 4');
    const cut = openAuditLog(truncated);
    expect(cut.verify()).toMatchObject({ ok: false, brokenSeq: 4, problem: 'entries 4–8 are missing (deleted from the end of the log)' });
    cut.close();

    const other = testConfig('', ollama.url);
    await auditedRun(other);
    tamper(other, `UPDATE audit SET hash = '${'f'.repeat(64)}' WHERE seq = 2`);
    const relinked = openAuditLog(other);
    expect(relinked.verify()).toMatchObject({ ok: false, brokenSeq: 2 });
    relinked.close();
  });

  it('policy changes are audited; other capabilities record through audit.record', async () => {
    const config = testConfig('', ollama.url);
    const audit = new AuditExtension();
    const policy = new PolicyExtension({ audit });
    const runtime = new Runtime({ config, extensions: [audit, policy], trace: false });
    await runtime.start();
    policy.addDerivedRules('skill:pay', [{ effect: 'ask', tool: 'payments__*', when: { 'args.amount': { gt: 100 } } }]);
    expect(() => policy.addDerivedRules('skill:bad', [{ effect: 'maybe' as 'ask' }])).toThrow('skill:bad: rule 0: effect');
    audit.record('memory.write', { note: 'the user likes tea' }, 'run_1');
    await runtime.close();
    const log = openAuditLog(config);
    expect([...log.entries()].map((e) => [e.kind, e.data]).slice(1)).toEqual([
      ['policy.change', { change: 'derived rules set', source: 'skill:pay', rules: [{ effect: 'ask', tool: 'payments__*', when: { 'args.amount': { gt: 100 } } }] }],
      ['memory.write', { note: 'the user likes tea' }],
    ]);
    log.close();
  });

  it('a changed policy in rein.yaml is audited when the next runtime starts', async () => {
    const config = testConfig('', ollama.url);
    for (const policy of [{}, {}, { offline: false }]) {
      const runtime = new Runtime({ config: { ...config, policy: { ...config.policy, ...policy } }, trace: false });
      await runtime.start();
      await runtime.close();
    }
    const log = openAuditLog(config);
    const changes = [...log.entries()].map((e) => e.data as { change: string; policy: { offline: boolean }; previous: { offline: boolean } | null });
    log.close();
    expect(changes.map((c) => [c.change, c.previous?.offline, c.policy.offline])).toEqual([['policy loaded', undefined, true], ['policy config changed', true, false]]);
  });

  it('redacts configured env secrets and token-like strings in the audit log and the JSONL trace', async () => {
    const yaml = 'policy: { allow_hosts: ["${env:SECRET_HOST}"] }\n';
    const config = testConfig(yaml, ollama.url, { SECRET_HOST: 'hunter2-vault.internal' });
    expect(config.secrets).toEqual(['hunter2-vault.internal']);
    const runtime = new Runtime({ config, tools: [echoTool()], retry: { retries: 0 } });
    ollama.script([
      { toolCalls: [{ name: 'echo', arguments: { text: 'key hunter2-vault.internal; Authorization: Bearer abc.def-123; sk-abcdefghijklmnop1234' } }] },
      { content: 'ok' },
    ]);
    const run = runtime.startRun('leak');
    await run.result;
    await runtime.close();
    const exported = JSON.stringify([...openAuditLog(config).entries()]);
    const trace = fs.readFileSync(path.join(config.dataDir, 'traces', `${run.runId}.jsonl`), 'utf8');
    for (const text of [exported, trace]) {
      expect(text).toContain('[REDACTED]');
      expect(text).not.toContain('hunter2-vault.internal');
      expect(text).not.toContain('abc.def-123');
      expect(text).not.toContain('sk-abcdefghijklmnop1234');
    }
  });
});
