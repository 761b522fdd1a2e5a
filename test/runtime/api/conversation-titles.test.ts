// Conversation titles written by the model after the first answer: off the critical path (never while a run goes),
// once per conversation, never over the user's own title.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src/common/index.ts';
import { cleanTitle } from '../../../src/runtime/api/conversation-titles.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';
import { startApi, type ApiHarness } from './helpers.ts';

describe('conversation titles', () => {
  let ollama: ScriptedOllama;
  let h: ApiHarness;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: (request) => (request.messages.at(-1)?.content.includes('slow') ? { content: 'Slow answer.', delayMs: 1500 } : { content: 'An answer.' }) });
    h = await startApi({ ...testConfig('', ollama.url) });
  });
  afterAll(async () => {
    await h.runtime.close();
    await ollama.close();
  });

  const finished = () => h.next((e) => e.type === 'run.finished');
  const titled = () => h.next((e) => e.type === 'conversation.titled') as Promise<Extract<ApiEvent, { type: 'conversation.titled' }>>;

  it('titles a conversation after its first answer, once', async () => {
    const title = titled();
    const done = finished();
    const { runId } = await h.client.runs.start({ goal: 'plan a weekend trip to Lisbon please' });
    await done;
    expect(await title).toMatchObject({ conversationId: runId, title: 'Chat: plan a weekend trip to Lisbon please' });
    expect((await h.client.conversations.titles())[runId]).toBe('Chat: plan a weekend trip to Lisbon please');
    const requests = ollama.titleRequests.length;
    const next = finished();
    await h.client.runs.start({ goal: 'and the food?', continueFrom: runId });
    await next;
    await new Promise((r) => setTimeout(r, 800));
    expect(ollama.titleRequests.length).toBe(requests); // a follow-up is not titled again
  });

  it('waits while a run is going, and never replaces the title the user gave', async () => {
    const done = finished();
    const { runId } = await h.client.runs.start({ goal: 'first question here' });
    await done;
    const slow = finished();
    const before = ollama.titleRequests.length;
    await h.client.runs.start({ goal: 'a slow one' });
    await h.client.conversations.rename(runId, 'My own title');
    await slow;
    await new Promise((r) => setTimeout(r, 1200));
    expect(ollama.titleRequests.length).toBeLessThanOrEqual(before + 1); // the slow run's own title, if any
    expect((await h.client.conversations.titles())[runId]).toBe('My own title');
  });

  it('cleans what a model replies into a title', () => {
    expect(cleanTitle('"Weekend in Lisbon".')).toBe('Weekend in Lisbon');
    expect(cleanTitle('<think>hmm</think>\n\nTitle: **Planning the budget**\nmore')).toBe('Planning the budget');
    expect(cleanTitle('A '.repeat(50)).length).toBeLessThanOrEqual(61);
    expect(cleanTitle('   ')).toBe('');
  });
});
