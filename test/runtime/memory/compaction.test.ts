import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoTool, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { collect, isSummaryRequest, memoryRuntime, ofType, startOllama, toolResultsFollowCalls } from './support.ts';

const GOAL = 'Count from 1 to 64 with the echo tool, one number per step, then say finished.';
const STEPS = 64;
const BUDGET = 1500;

/** The agent echoes one padded number per step; summaries come from `summary`. */
function script(summary: (request: ChatRequestBody) => ScriptedReply) {
  let agentStep = 0;
  return (request: ChatRequestBody): ScriptedReply => {
    if (isSummaryRequest(request)) return summary(request);
    agentStep++;
    if (agentStep > STEPS) return { content: 'finished' };
    return { toolCalls: [{ name: 'echo', arguments: { text: `number ${agentStep} ${'·'.repeat(150)}` } }] };
  };
}

/** What the harness estimates for a request: 4 characters a token plus a little per message. */
function estimate(request: ChatRequestBody): number {
  return request.messages.reduce((sum, m) => sum + Math.ceil(m.content.length / 4) + Math.ceil(JSON.stringify(m.tool_calls ?? '').length / 4) + 4, 0);
}

describe('working memory over a long run', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await startOllama();
  });
  afterAll(() => ollama.close());

  const config = () => testConfig(`runtime: { max_steps: 80, loop_window: 100 }\nmemory: { max_working_tokens: ${BUDGET} }`, ollama.url);

  it('compacts by model summary across 60+ steps, keeps the goal and pinned prompt, never splits a call from its result', async () => {
    let summaries = 0;
    ollama.script(script(() => ({ content: `Echoed numbers up to some point (summary ${++summaries}).` })));
    const { runtime, memory } = memoryRuntime(config(), [echoTool()]);
    const run = runtime.startRun(GOAL);
    const events = await collect(run.events);
    const result = await run.result;
    expect(result).toMatchObject({ status: 'completed', answer: 'finished', steps: STEPS + 1 });

    const compactions = ofType(events, 'memory.compacted');
    expect(compactions.length).toBeGreaterThanOrEqual(3);
    for (const c of compactions) {
      expect(c).toMatchObject({ method: 'model', turnsRemoved: expect.any(Number) });
      expect(c.tokensAfter).toBeLessThan(c.tokensBefore);
      expect(c.tokensBefore).toBeGreaterThan(BUDGET * 0.75);
    }
    const agentRequests = ollama.chatRequests.filter((r) => !isSummaryRequest(r));
    expect(agentRequests).toHaveLength(STEPS + 1);
    for (const request of agentRequests) {
      expect(request.messages[0]!.content).toContain('You are Rein');
      expect(request.messages[1]).toMatchObject({ role: 'user', content: GOAL });
      expect(toolResultsFollowCalls(request)).toBe(true);
      expect(estimate(request)).toBeLessThanOrEqual(BUDGET);
    }
    // Summaries are asked in context: the previous prompt, its tools, then the request (the server reuses its cache).
    ollama.chatRequests.forEach((request, i) => {
      if (!isSummaryRequest(request)) return;
      const before = ollama.chatRequests[i - 1]!;
      expect(request.messages.slice(0, before.messages.length)).toEqual(before.messages);
      expect(request.tools).toEqual(before.tools);
      expect(request.options?.num_predict).toBe(512); // a summary is short: generation stops there, less room is kept
    });
    const last = agentRequests.at(-1)!;
    // The summary follows the goal, so system prompt and goal stay a prefix the server reuses.
    expect(last.messages[2]).toMatchObject({ role: 'user', content: expect.stringContaining(`Echoed numbers up to some point (summary ${summaries}).`) });
    expect(last.messages.some((m) => m.content.includes('number 64'))).toBe(true);
    const noteId = compactions.at(-1)!.noteId;
    expect((await memory.recall('echoed numbers summary')).notes.map((n) => n.id)).toContain(noteId);
    await runtime.close();
  });

  it('falls back to deterministic truncation when the summariser fails, with the same guarantees', async () => {
    ollama.script(script(() => ({ content: '' })));
    const { runtime } = memoryRuntime(config(), [echoTool()]);
    const run = runtime.startRun(GOAL);
    const events = await collect(run.events);
    expect((await run.result).status).toBe('completed');
    const compactions = ofType(events, 'memory.compacted');
    expect(compactions.length).toBeGreaterThanOrEqual(3);
    expect(compactions.every((c) => c.method === 'truncation')).toBe(true);
    expect(ofType(events, 'run.notice').map((n) => n.message)).toContain('compaction fell back to truncation: the model returned an empty summary');
    for (const request of ollama.chatRequests.filter((r) => !isSummaryRequest(r))) {
      expect(request.messages[1]).toMatchObject({ role: 'user', content: GOAL });
      expect(toolResultsFollowCalls(request)).toBe(true);
      expect(estimate(request)).toBeLessThanOrEqual(BUDGET);
    }
    expect(ollama.chatRequests.at(-1)!.messages[2]!.content).toMatch(/echo returned: echo: number \d+/);
    await runtime.close();
  });

  it('compacts and retries once when the server refuses a prompt over the context it loaded (and /api/ps does not say it)', async () => {
    const small = await ScriptedOllama.start({ prefixCache: true, maxLoadedContext: 1024, hideLoadedContext: true });
    try {
      let step = 0;
      small.script((request) => {
        if (isSummaryRequest(request)) return { content: 'Echoed some numbers.' };
        return ++step > 8 ? { content: 'finished' } : { toolCalls: [{ name: 'echo', arguments: { text: `number ${step} ${'·'.repeat(600)}` } }] };
      });
      const { runtime } = memoryRuntime(testConfig('model: { num_ctx: 4096 }\nruntime: { loop_window: 100 }', small.url), [echoTool()]);
      const run = runtime.startRun(GOAL);
      const events = await collect(run.events);
      expect(await run.result).toMatchObject({ status: 'completed', answer: 'finished' });
      const notices = ofType(events, 'run.notice').map((n) => n.message);
      expect(notices.filter((m) => /does not fit the context Ollama loaded.*retrying once/.test(m))).toHaveLength(1);
      expect(ofType(events, 'memory.compacted').length).toBeGreaterThanOrEqual(1);
      const served = small.promptStats;
      expect(served.at(-1)!.contextLength).toBe(1024);
      expect(served.every((s) => s.promptTokens <= s.contextLength)).toBe(true);
      await runtime.close();
    } finally {
      await small.close();
    }
  });
});
