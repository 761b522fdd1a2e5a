import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserQuestion } from '../../../src/common/index.ts';
import { openApprovalDesk } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';
import { answering, nextEvent, ofType, runtimeFor, silentAsker, transferTool } from './helpers.ts';

const transfer = (amount: number, to = 'bob') => ({ toolCalls: [{ name: 'payments__transfer', arguments: { amount, to } }] });

describe('approvals', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('headless: an ask is denied, the tool never runs, and the model gets the reason', async () => {
    const made: Record<string, unknown>[] = [];
    const runtime = runtimeFor(testConfig('', ollama.url), [transferTool(made)]);
    ollama.script([transfer(20), { content: 'could not transfer' }]);
    const run = runtime.startRun('pay bob');
    const result = await run.result;
    await runtime.close();
    expect(result.status).toBe('completed');
    expect(made).toEqual([]);
    const [requested] = ofType(run.events.events(), 'approval.requested');
    expect(requested).toMatchObject({ tool: 'payments__transfer', args: { amount: 20, to: 'bob' }, rule: 'policy.default.write', risk: 'write' });
    expect(ofType(run.events.events(), 'approval.resolved')).toEqual([expect.objectContaining({ id: requested!.id, decision: 'deny', by: 'runtime' })]);
    const toolMessage = ollama.chatRequests[1]!.messages.find((m) => m.role === 'tool')!;
    expect(toolMessage.content).toContain('payments__transfer was not approved (runtime): nobody could answer');
  });

  it('allow once runs the call and asks again next time; the user\'s reason for a deny reaches the model', async () => {
    const made: Record<string, unknown>[] = [];
    const questions: UserQuestion[] = [];
    const config = testConfig('', ollama.url);
    const once = runtimeFor(config, [transferTool(made)], answering({ action: 'accept', by: 'alice' }, questions));
    ollama.script([transfer(20), transfer(20), { content: 'done' }]);
    const run = once.startRun('pay bob twice');
    await run.result;
    await once.close();
    expect(made).toHaveLength(2);
    expect(questions).toHaveLength(2);
    expect(questions[0]).toMatchObject({ kind: 'approval', source: 'policy', allowAlways: true, details: { tool: 'payments__transfer', risk: 'write' } });
    expect(ofType(run.events.events(), 'approval.resolved').map((e) => [e.decision, e.by])).toEqual([['allow_once', 'alice'], ['allow_once', 'alice']]);

    const denying = runtimeFor(config, [transferTool(made)], answering({ action: 'decline', reason: 'not this month', by: 'alice' }));
    ollama.script([transfer(30), { content: 'ok' }]);
    await denying.startRun('pay').result;
    await denying.close();
    expect(made).toHaveLength(2);
    expect(ollama.chatRequests.at(-1)!.messages.find((m) => m.role === 'tool')!.content).toContain('not approved (alice): not this month');
  });

  it('allow always saves the narrowest grant: exact tool and arguments, never a wildcard', async () => {
    const made: Record<string, unknown>[] = [];
    const questions: UserQuestion[] = [];
    const config = testConfig('', ollama.url);
    const runtime = runtimeFor(config, [transferTool(made)], answering({ action: 'accept', always: true, by: 'alice' }, questions));
    ollama.script([transfer(20), transfer(20), transfer(21), { content: 'done' }]);
    await runtime.startRun('pay').result;
    await runtime.close();
    expect(made.map((a) => a.amount)).toEqual([20, 20, 21]);
    expect(questions.map((q) => (q.details!.args as { amount: number }).amount)).toEqual([20, 21]); // the repeat needed no question
    const { desk, close } = await openApprovalDesk(config);
    const grants = await desk.listGrants();
    await close();
    expect(grants).toEqual([
      expect.objectContaining({ tool: 'payments__transfer', args: { amount: 20, to: 'bob' }, createdBy: 'alice' }),
      expect.objectContaining({ tool: 'payments__transfer', args: { amount: 21, to: 'bob' } }),
    ]);
    expect(grants[0]!.expiresAt).toBeUndefined();
  });

  it('grants expire (policy.always_ttl_s or the approver\'s expiry) and an expired grant asks again', async () => {
    const made: Record<string, unknown>[] = [];
    const config = testConfig('policy: { always_ttl_s: 3600 }', ollama.url);
    const runtime = runtimeFor(config, [transferTool(made)], answering({ action: 'accept', always: true }));
    ollama.script([transfer(5), { content: 'done' }]);
    const run = runtime.startRun('pay');
    await run.result;
    await runtime.close();
    const resolved = ofType(run.events.events(), 'approval.resolved')[0]!;
    expect(resolved.decision).toBe('allow_always');
    const hours = (Date.parse(resolved.expiresAt!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(0.9);
    expect(hours).toBeLessThanOrEqual(1);

    const { desk, close } = await openApprovalDesk(config);
    const [grant] = await desk.listGrants();
    await desk.revokeGrant(grant!.id, 'test');
    await desk.store.addGrant({ tool: 'payments__transfer', args: { amount: 5, to: 'bob' }, argsHash: grant!.argsHash, expiresAt: new Date(Date.now() - 1000).toISOString(), createdBy: 'test' });
    await close();
    const questions: UserQuestion[] = [];
    const later = runtimeFor(config, [transferTool(made)], answering({ action: 'decline' }, questions));
    ollama.script([transfer(5), { content: 'done' }]);
    await later.startRun('pay again').result;
    await later.close();
    expect(questions).toHaveLength(1);
    expect(made).toHaveLength(1);
  });

  it('another terminal answers a waiting run through the store (`rein approvals allow <id>`)', async () => {
    const made: Record<string, unknown>[] = [];
    const questions: UserQuestion[] = [];
    const config = testConfig('', ollama.url);
    const runtime = runtimeFor(config, [transferTool(made)], silentAsker(questions));
    ollama.script([transfer(700), { content: 'paid' }]);
    const requested = nextEvent(runtime, 'approval.requested');
    const run = runtime.startRun('pay');
    const { id } = await requested;
    const { desk, close } = await openApprovalDesk(config);
    expect((await desk.listPending()).map((a) => a.id)).toEqual([id]);
    expect(await desk.decide(id, { allow: true, by: 'cli' })).toBe(true);
    expect(await desk.decide(id, { allow: false, by: 'cli' })).toBe(false); // the first decision wins
    await close();
    const result = await run.result;
    await runtime.close();
    expect(result.answer).toBe('paid');
    expect(made).toEqual([{ amount: 700, to: 'bob' }]);
    expect(ofType(run.events.events(), 'approval.resolved')).toEqual([expect.objectContaining({ id, decision: 'allow_once', by: 'cli' })]);
  });

  it('pending approvals survive a runtime restart and the recorded decision answers the same call later', async () => {
    const made: Record<string, unknown>[] = [];
    const config = testConfig('', ollama.url);
    const first = runtimeFor(config, [transferTool(made)], silentAsker([]));
    ollama.script((_request, i) => (i === 0 ? transfer(900, 'carol') : { content: 'waiting' }));
    const requested = nextEvent(first, 'approval.requested');
    const interrupted = first.startRun('pay carol');
    const { id } = await requested;
    await first.close(); // the process goes away while the approval is pending
    expect((await interrupted.result).status).toBe('stopped');
    expect(made).toEqual([]);

    const { desk, close } = await openApprovalDesk(config);
    expect(await desk.listPending()).toEqual([expect.objectContaining({ id, tool: 'payments__transfer', args: { amount: 900, to: 'carol' } })]);
    await desk.decide(id, { allow: true, by: 'cli' });
    await close();

    const questions: UserQuestion[] = [];
    const second = runtimeFor(config, [transferTool(made)], answering({ action: 'decline' }, questions));
    ollama.script([transfer(900, 'carol'), transfer(900, 'carol'), { content: 'paid once' }]);
    const resumed = second.startRun('pay carol');
    await resumed.result;
    await second.close();
    expect(made).toEqual([{ amount: 900, to: 'carol' }]); // the recorded allow was used once; the repeat was asked (and declined)
    expect(questions).toHaveLength(1);
    expect(ofType(resumed.events.events(), 'approval.resolved')[0]).toMatchObject({ id, decision: 'allow_once', by: 'cli' });
  });

  it('an unanswered approval is denied when policy.approval_timeout_s runs out', async () => {
    const made: Record<string, unknown>[] = [];
    const runtime = runtimeFor(testConfig('policy: { approval_timeout_s: 0.3 }', ollama.url), [transferTool(made)], silentAsker([]));
    ollama.script([transfer(1), { content: 'gave up' }]);
    const run = runtime.startRun('pay');
    await run.result;
    await runtime.close();
    expect(made).toEqual([]);
    expect(ofType(run.events.events(), 'approval.resolved')[0]).toMatchObject({ decision: 'deny', by: 'timeout' });
  });

  it('one "allow once" is used by one call: a second run waiting for the same call is asked again', async () => {
    const made: Record<string, unknown>[] = [];
    const config = testConfig('', ollama.url);
    const runtime = runtimeFor(config, [transferTool(made)], silentAsker([]));
    ollama.script((request) => (request.messages.some((m) => m.role === 'tool') ? { content: 'done' } : transfer(50)));
    const ids: string[] = [];
    let sawSecond: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (sawSecond = resolve));
    runtime.onEvent((event) => {
      if (event.type !== 'approval.requested') return;
      ids.push(event.id);
      if (ids.some((id) => id !== ids[0])) sawSecond();
    });
    const first = nextEvent(runtime, 'approval.requested');
    const runs = [runtime.startRun('pay a'), runtime.startRun('pay b')];
    const { desk, close } = await openApprovalDesk(config);
    await desk.decide((await first).id, { allow: true, by: 'cli' });
    await second;
    await desk.decide(ids.find((id) => id !== ids[0])!, { allow: false, by: 'cli', reason: 'once is enough' });
    await close();
    await Promise.all(runs.map((r) => r.result));
    await runtime.close();
    expect(made).toEqual([{ amount: 50, to: 'bob' }]);
  });
});
