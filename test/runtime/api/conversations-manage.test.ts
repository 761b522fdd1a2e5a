// Managing conversations through the API: titles, search over prompts and answers, removal.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';
import { startApi, type ApiHarness } from './helpers.ts';

describe('conversations section', () => {
  let ollama: ScriptedOllama;
  let h: ApiHarness;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: (request) => ({ content: `Answer about ${request.messages.at(-1)!.content.includes('paris') ? 'the Eiffel tower' : 'something else'}` }) });
    h = await startApi(testConfig('', ollama.url));
  });
  afterAll(async () => {
    await h.runtime.close();
    await ollama.close();
  });
  const finish = async (goal: string, continueFrom?: string) => {
    const done = h.next((e) => e.type === 'run.finished');
    const { runId } = await h.client.runs.start({ goal, ...(continueFrom ? { continueFrom } : {}) });
    await done;
    return runId;
  };

  it('renames, finds by title, prompt and answer, and removes a conversation from the list', async () => {
    const trip = await finish('plan a trip to paris');
    const more = await finish('and the food?', trip);
    const other = await finish('fix my bicycle');
    await h.client.conversations.rename(trip, 'Paris weekend');
    expect(await h.client.conversations.titles()).toEqual({ [trip]: 'Paris weekend' });

    expect((await h.client.conversations.search('weekend')).map((m) => m.conversationId)).toEqual([trip]);
    const byAnswer = await h.client.conversations.search('eiffel');
    expect(byAnswer).toEqual([expect.objectContaining({ conversationId: trip, title: 'Paris weekend', snippet: 'Answer about the Eiffel tower' })]);
    expect((await h.client.conversations.search('food')).map((m) => m.runId)).toEqual([more]);
    expect((await h.client.conversations.search('BICYCLE')).map((m) => m.conversationId)).toEqual([other]);

    await h.client.conversations.remove(trip);
    const listed = (await h.client.runs.list()).map((r) => r.runId);
    expect(listed).toContain(other);
    expect(listed).not.toContain(trip);
    expect(listed).not.toContain(more);
    expect(fs.existsSync(path.join(h.runtime.config.dataDir, 'traces', `${trip}.jsonl`))).toBe(false);
    expect(await h.client.conversations.search('eiffel')).toEqual([]);
    await expect(h.client.conversations.rename(trip, 'x')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('removing with its memory also forgets the sessions and the notes written in them', async () => {
    const kept = await finish('remember the garden');
    const gone = await finish('remember the boat');
    expect((await h.client.memory.sessions()).map((x) => x.id)).toEqual(expect.arrayContaining([kept, gone]));
    await h.client.conversations.remove(kept);
    await h.client.conversations.remove(gone, { memory: true });
    const sessions = (await h.client.memory.sessions()).map((x) => x.id);
    expect(sessions).toContain(kept);
    expect(sessions).not.toContain(gone);
    await expect(h.client.memory.episodes(gone)).rejects.toMatchObject({ code: 'not_found' });
    expect((await h.client.memory.recentNotes(100)).filter((n) => n.provenance.sessionId === gone)).toEqual([]);
  });
});
