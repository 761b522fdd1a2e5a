// The approvals section over the real policy (SQLite in a temp dir): a policy `ask` in a run started through the
// API is a question and a pending approval; decisions reach the run; pending approvals survive a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, ApprovalRequest } from '../../../src/common/index.ts';
import type { Runtime } from '../../../src/runtime/index.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { startApi } from './helpers.ts';

function reply(request: ChatRequestBody): ScriptedReply {
  const result = request.messages.findLast((m) => m.role === 'tool');
  if (result) return { content: `tool said: ${result.content}` };
  return { content: '', toolCalls: [{ name: 'write_note', arguments: { text: 'remember the milk' } }] };
}

describe('approvals service (real policy)', () => {
  let ollama: ScriptedOllama;
  const runtimes: Runtime[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply });
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await ollama.close();
  });
  const harness = async (config = testConfig('', ollama.url)) => {
    const h = await startApi(config, [echoTool('write_note', 'write')]);
    runtimes.push(h.runtime);
    return { ...h, config };
  };

  it('a policy ask is a question card and a pending approval with risk, rule, reason and run; deny with a reason reaches the model', async () => {
    const { client, next, nextQuestion } = await harness();
    expect((await client.config.get()).capabilities).toMatchObject({ approvals: true, skills: true, mcp: true });
    const asked = nextQuestion();
    const { runId } = await client.runs.start({ goal: 'write a note' });
    const { id, kind } = await asked;
    expect(kind).toBe('approval');
    const [pending] = await client.approvals.pending();
    expect(pending).toMatchObject<Partial<ApprovalRequest>>({ id, tool: 'write_note', args: { text: 'remember the milk' }, risk: 'write', rule: 'policy.default.write', runId, status: 'pending' });

    const finished = next((e) => e.type === 'run.finished');
    await client.approvals.decide(id, { action: 'deny', scope: 'once', reason: 'not today' });
    await finished;
    expect(await client.approvals.pending()).toEqual([]);
    expect((await client.questions.pending()).map((q) => q.id)).not.toContain(id);
    const told = ollama.chatRequests.at(-1)!.messages.findLast((m) => m.role === 'tool');
    expect(told?.content).toContain('not today');
    const [record] = await client.approvals.history();
    expect(record).toMatchObject({ id, status: 'denied', decision: { action: 'deny', scope: 'once', reason: 'not today' }, decidedBy: 'user' });
  });

  it('answering the question card (allow always) decides the approval and adds an expiring grant, listed and revocable', async () => {
    const { api, client, next, nextQuestion, runtime } = await harness();
    const asked = nextQuestion();
    await client.runs.start({ goal: 'write a note' });
    const { id } = await asked;
    const finished = next((e) => e.type === 'run.finished');
    await client.questions.answer(id, { action: 'accept', always: true, content: { expires_in_s: 3600 } });
    await finished;
    expect(ollama.chatRequests.at(-1)!.messages.findLast((m) => m.role === 'tool')?.content).toContain('echo: remember the milk');
    const [record] = await client.approvals.history(1);
    expect(record).toMatchObject({ id, decision: { action: 'allow', scope: 'always' } });
    expect(Date.parse(record!.expiresAt!)).toBeGreaterThan(Date.now());
    const [grant] = await client.approvals.grants();
    expect(grant).toMatchObject({ tool: 'write_note', args: { text: 'remember the milk' }, approvalId: id, expiresAt: record!.expiresAt });

    // the grant answers the same call without asking; revoked, it asks again
    const questions: string[] = [];
    api.onEvent((e) => e.type === 'question.asked' && questions.push(e.question.id));
    const again = next((e) => e.type === 'run.finished');
    await client.runs.start({ goal: 'write it again' });
    await again;
    expect(questions).toEqual([]);
    await client.approvals.revokeGrant(grant!.id);
    expect(await client.approvals.grants()).toEqual([]);
    await expect(client.approvals.revokeGrant(grant!.id)).rejects.toMatchObject({ code: 'not_found' });
    const askedAgain = nextQuestion();
    const onceMore = next((e) => e.type === 'run.finished');
    await client.runs.start({ goal: 'write it once more' });
    await client.approvals.decide((await askedAgain).id, { action: 'deny', scope: 'once' });
    await onceMore;
    expect(runtime.services.approvals).toBeDefined();
  });

  it('a pending approval survives a restart: listed, answerable, and the answer is used by the same call', async () => {
    const first = await harness();
    const asked = first.nextQuestion();
    await first.client.runs.start({ goal: 'write a note' });
    const { id } = await asked;
    await first.runtime.close();

    const second = await harness(first.config);
    expect((await second.client.approvals.pending()).map((p) => p.id)).toEqual([id]);
    expect(await second.client.questions.pending()).toEqual([]);
    await second.client.approvals.decide(id, { action: 'allow', scope: 'once' });
    const finished = second.next((e) => e.type === 'run.finished');
    const questions: string[] = [];
    second.api.onEvent((e) => e.type === 'question.asked' && questions.push(e.question.id));
    await second.client.runs.start({ goal: 'write the note again' });
    await finished;
    expect(questions).toEqual([]);
    expect(ollama.chatRequests.at(-1)!.messages.findLast((m) => m.role === 'tool')?.content).toContain('echo: remember the milk');
    await expect(second.client.approvals.decide('apr_missing', { action: 'allow', scope: 'once' })).rejects.toMatchObject({ code: 'not_found' } satisfies Partial<ApiError>);
  });
});
