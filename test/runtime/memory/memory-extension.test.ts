import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';
import { openMemoryStore } from '../../../src/runtime/index.ts';
import { collect, memoryRuntime, ofType, startOllama } from './support.ts';

describe('memory capability', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await startOllama();
  });
  afterAll(() => ollama.close());

  it('logs every event of a run, and remembers across sessions through the guarded tools', async () => {
    const config = testConfig('', ollama.url);
    const first = memoryRuntime(config);
    ollama.script([{ toolCalls: [{ name: 'remember', arguments: { content: 'The deploy password hint is "blue falcon".' } }] }, { content: 'Saved.' }]);
    const run = first.runtime.startRun('note the deploy password hint');
    const events = await collect(run.events);
    expect((await run.result).status).toBe('completed');
    expect(ofType(events, 'tool.result')[0]).toMatchObject({ name: 'remember', ok: true, output: expect.stringMatching(/^Saved as note \d+\.$/) });
    expect(await first.memory.sessionEvents(run.runId)).toEqual(events);
    expect((await first.memory.listSessions())[0]).toMatchObject({ id: run.runId, goal: 'note the deploy password hint', status: 'completed', steps: 2 });
    await first.runtime.close();

    const second = memoryRuntime(config);
    await second.runtime.start();
    ollama.script((_request, i) =>
      [
        { toolCalls: [{ name: 'recall', arguments: { query: 'deploy password' } }] },
        { toolCalls: [{ name: 'forget', arguments: { id: factId } }] },
        { content: 'It is blue falcon.' },
      ][i]!,
    );
    const fact = (await second.memory.recall('deploy password hint falcon')).notes.find((n) => n.kind === 'fact')!;
    const factId = fact.id;
    const again = second.runtime.startRun('what is the deploy password hint?');
    const later = await collect(again.events);
    expect((await again.result).status).toBe('completed');
    expect(ollama.chatRequests[0]!.messages.find((m) => m.role === 'user')!.content).toContain(`[note ${factId}] The deploy password hint is "blue falcon".`);
    expect(ofType(later, 'memory.recalled')[0]).toMatchObject({ query: 'what is the deploy password hint?', mode: 'hybrid', noteIds: expect.arrayContaining([factId]) });
    const [recalled, forgotten] = ofType(later, 'tool.result');
    expect(recalled).toMatchObject({ name: 'recall', ok: true, output: expect.stringContaining('blue falcon') });
    expect(forgotten).toMatchObject({ name: 'forget', ok: true, output: `Note ${factId} removed.` });
    expect((await second.memory.recall('blue falcon')).notes.map((n) => n.id)).not.toContain(factId);
    expect(ofType(await second.memory.sessionEvents(again.runId), 'tool.called').map((e) => e.name)).toEqual(['recall', 'forget']);
    await second.runtime.close();
  });

  it('keeps run endings and raw tool JSON out of the notes: later runs recall facts only', async () => {
    const config = testConfig('', ollama.url);
    const { runtime, memory } = memoryRuntime(config);
    await runtime.start();
    ollama.script([{ httpError: { status: 500, error: 'the model crashed' } }]);
    expect((await runtime.startRun('summarize the quarterly report').result).status).toBe('failed');
    ollama.script([{ toolCalls: [{ name: 'remember', arguments: { content: '{"action":"accept","content":{"email":"a@b.c"}}' } }] }, { content: 'ok' }]);
    const run = runtime.startRun('remember what the form returned');
    const events = await collect(run.events);
    expect(ofType(events, 'tool.result')[0]).toMatchObject({ name: 'remember', ok: false, error: expect.stringContaining('not raw JSON') });
    expect(await memory.recentNotes(10)).toEqual([]);
    // an old version's session-end note stays listed, but is not recalled into a later prompt
    const store = await openMemoryStore(config);
    await store.addNote({ content: 'Session "summarize the quarterly report" failed: Ollama is not reachable', kind: 'session', source: 'session-end' });
    await store.close();
    ollama.script([{ content: 'Done.' }]);
    const later = await collect(runtime.startRun('summarize the quarterly report again').events);
    expect(ofType(later, 'memory.recalled')).toEqual([]);
    expect(ollama.chatRequests.at(-1)!.messages.map((m) => m.content).join('\n')).not.toContain('not reachable');
    await runtime.close();
  });

  it('falls back to full-text recall and says so when the embedding model is missing — never a crash', async () => {
    const config = testConfig('memory: { embed_model: missing-embedder }', ollama.url);
    const { runtime, memory } = memoryRuntime(config);
    await runtime.start();
    await memory.remember('Miso the cat is allergic to chicken.');
    ollama.script([{ content: 'Fish, not chicken.' }]);
    const run = runtime.startRun('what should the cat Miso eat?');
    const events = await collect(run.events);
    expect((await run.result).status).toBe('completed');
    const [notice] = ofType(events, 'run.notice');
    expect(notice).toMatchObject({ level: 'warn', source: 'memory' });
    expect(notice!.message).toMatch(/^embedding model missing-embedder is unavailable \(.*missing-embedder.*\); recall uses full-text search only$/);
    expect(ofType(events, 'memory.recalled')[0]).toMatchObject({ mode: 'text' });
    expect(ollama.chatRequests[0]!.messages.find((m) => m.role === 'user')!.content).toContain('Miso the cat is allergic to chicken.');
    await runtime.close();
  });

  it('reports a broken database as a failed start of memory, naming the file, while the runtime keeps working', async () => {
    const config = testConfig('', ollama.url);
    const fs = await import('node:fs');
    fs.writeFileSync(config.memory.path, 'not a database');
    const { runtime } = memoryRuntime(config);
    const notices: string[] = [];
    runtime.onSystemEvent((e) => e.type === 'system.notice' && notices.push(e.message));
    ollama.script([{ content: 'fine' }]);
    expect((await runtime.startRun('hello').result).status).toBe('completed');
    expect(notices).toEqual([`failed to start: ${config.memory.path} is not a SQLite database (memory.path); it was left untouched — move it away or point memory.path elsewhere`]);
    await runtime.close();
  });
});
