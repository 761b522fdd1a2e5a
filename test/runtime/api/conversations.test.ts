import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/common/index.ts';
import { Runtime, runsSection, type ReinConfig } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';
import { startApi, type ApiHarness } from './helpers.ts';

/** The role/content pairs of the model requests' messages after the system prompt. */
/** The messages after the system prompt; a goal message's run context (recalled notes, before "## Request") left out. */
function dialogue(ollama: ScriptedOllama, request: number): { role: string; content: string }[] {
  return ollama.chatRequests[request]!.messages.slice(1).map(({ role, content }) => ({ role, content: content.split('## Request\n').at(-1)! }));
}

describe('conversations', () => {
  let ollama: ScriptedOllama;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await ollama.close();
  });
  const api = async (config: ReinConfig): Promise<ApiHarness> => {
    const harness = await startApi(config);
    closers.push(() => harness.runtime.close());
    return harness;
  };
  const finish = async ({ next, client }: ApiHarness, goal: string, continueFrom?: string): Promise<string> => {
    const finished = next((e) => e.type === 'run.finished');
    const { runId } = await client.runs.start({ goal, ...(continueFrom ? { continueFrom } : {}) });
    await finished;
    return runId;
  };

  it('a run started with history sends the earlier exchange between the system prompt and the goal', async () => {
    ollama.script([{ content: 'It was 391.' }]);
    const runtime = new Runtime({ config: testConfig('', ollama.url), retry: { retries: 0 }, trace: false });
    closers.push(() => runtime.close());
    const history = [
      { role: 'user' as const, content: 'What is 17 * 23?' },
      { role: 'assistant' as const, content: '391' },
    ];
    const run = runtime.startRun('What was the result?', { history, conversationId: 'run_first', continues: 'run_first' });
    expect((await run.result).answer).toBe('It was 391.');
    expect(ollama.chatRequests[0]!.messages[0]!.role).toBe('system');
    expect(dialogue(ollama, 0)).toEqual([...history, { role: 'user', content: 'What was the result?' }]);
    expect(run.events.events()[0]).toMatchObject({ type: 'run.started', conversationId: 'run_first', continues: 'run_first' });
  });

  it('a three-turn conversation sees every earlier goal and answer and lists with one conversation id', async () => {
    ollama.script((_, index) => ({ content: `answer ${index + 1}` }));
    const harness = await api(testConfig('', ollama.url));
    const first = await finish(harness, 'question 1');
    const second = await finish(harness, 'question 2', first);
    const third = await finish(harness, 'question 3', second);
    // (a goal message may carry this run's context — recalled notes — before "## Request")
    expect(ollama.chatRequests.map((r) => r.messages.slice(1).map((m) => m.content.split('## Request\n').at(-1)))).toEqual([
      ['question 1'],
      ['question 1', 'answer 1', 'question 2'],
      ['question 1', 'answer 1', 'question 2', 'answer 2', 'question 3'],
    ]);
    const listed = (await harness.client.runs.list()).filter((r) => [first, second, third].includes(r.runId));
    expect(listed.map((r: RunSummary) => r.conversationId)).toEqual([first, first, first]);
    const started = (await harness.client.runs.events(third)).find((e) => e.type === 'run.started');
    expect(started).toMatchObject({ conversationId: first, continues: second });
    // memory's session list carries the link too
    const sessions = await harness.client.memory.sessions();
    expect(sessions.filter((s) => [first, second, third].includes(s.id)).map((s) => s.conversationId ?? s.id)).toEqual([first, first, first]);
  });

  it('without memory, a later process continues a conversation from the trace files', async () => {
    ollama.script((_, index) => ({ content: `answer ${index + 1}` }));
    const config = testConfig('', ollama.url);
    const process1 = new Runtime({ config, retry: { retries: 0 }, extensions: [] });
    const first = await process1.startRun('question 1').result;
    await process1.close();
    const process2 = new Runtime({ config, retry: { retries: 0 }, extensions: [] });
    closers.push(() => process2.close());
    const runs = runsSection(process2);
    const firstId = (await runs.list())[0]!.runId;
    expect(first.answer).toBe('answer 1');
    const { runId } = await runs.start({ goal: 'question 2', continueFrom: firstId });
    expect((await process2.getRun(runId)!.result).answer).toBe('answer 2');
    expect(dialogue(ollama, 1)).toEqual([
      { role: 'user', content: 'question 1' },
      { role: 'assistant', content: 'answer 1' },
      { role: 'user', content: 'question 2' },
    ]);
    expect((await runs.list()).map((r) => r.conversationId)).toEqual([firstId, firstId]);
  });

  it('branchOf: another version of a turn follows the same earlier turns in the same conversation (both kept)', async () => {
    ollama.script((_, index) => ({ content: `answer ${index + 1}` }));
    const harness = await api(testConfig('', ollama.url));
    const first = await finish(harness, 'question 1');
    const second = await finish(harness, 'question 2', first);
    const before = ollama.chatRequests.length;
    const edited = harness.next((e) => e.type === 'run.finished');
    const { runId: sibling } = await harness.client.runs.start({ goal: 'question 2, edited', branchOf: second });
    await edited;
    expect(dialogue(ollama, before).map((m) => m.content)).toEqual(['question 1', 'answer 1', 'question 2, edited']);
    expect((await harness.client.runs.events(sibling)).find((e) => e.type === 'run.started')).toMatchObject({ conversationId: first, continues: first });
    // a new version of the first turn: the same conversation, no earlier turns
    const rootEdit = harness.next((e) => e.type === 'run.finished');
    const { runId: root } = await harness.client.runs.start({ goal: 'question 1 again', branchOf: first });
    await rootEdit;
    expect(dialogue(ollama, before + 1).map((m) => m.content)).toEqual(['question 1 again']);
    const started = (await harness.client.runs.events(root)).find((e) => e.type === 'run.started');
    expect(started).toMatchObject({ conversationId: first });
    expect(started).not.toHaveProperty('continues');
    const listed = (await harness.client.runs.list()).filter((r) => [first, second, sibling, root].includes(r.runId));
    expect(new Set(listed.map((r) => r.conversationId))).toEqual(new Set([first]));
  });

  it('refuses to continue an unknown run', async () => {
    const harness = await api(testConfig('', ollama.url));
    await expect(harness.client.runs.start({ goal: 'more', continueFrom: 'run_nope' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
