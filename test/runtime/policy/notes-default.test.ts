// Approval fatigue: the agent's own notes (`remember`) are written without asking by default, audited; with
// policy.notes: ask (or a rule of the user's) they ask like any write — headless, nobody answers, so they are denied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { Runtime, openAuditLog } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';

describe('policy.notes', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: (request) => (request.messages.some((m) => m.role === 'tool') ? { content: 'ok' } : { content: '', toolCalls: [{ name: 'remember', arguments: { content: 'Ada prefers tea.' } }] }) });
  });
  afterAll(async () => {
    await ollama.close();
  });

  const run = async (yaml: string) => {
    const config = testConfig(yaml, ollama.url);
    const runtime = new Runtime({ config, retry: { retries: 0 }, trace: false });
    const handle = runtime.startRun('remember that Ada prefers tea');
    const events: RunEvent[] = [];
    handle.events.subscribe((e) => events.push(e));
    await handle.result;
    await runtime.close();
    return { events, config };
  };

  it('by default a headless run remembers without asking, and the note is audited', async () => {
    const { events, config } = await run('');
    expect(events.some((e) => e.type === 'approval.requested')).toBe(false);
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ name: 'remember', ok: true });
    const audit = openAuditLog(config);
    try {
      expect([...audit.entries()].some((e) => e.kind === 'memory.remember' && JSON.stringify(e.data).includes('Ada prefers tea.'))).toBe(true);
    } finally {
      audit.close();
    }
  });

  it('with policy.notes: ask, or a rule of the user\'s, remember asks (and headless, is denied)', async () => {
    for (const yaml of ['policy: { notes: ask }', 'policy: { rules: [{ effect: ask, tool: remember }] }']) {
      const { events } = await run(yaml);
      expect(events.find((e) => e.type === 'approval.resolved')).toMatchObject({ decision: 'deny' });
      expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ name: 'remember', ok: false });
    }
  });
});
