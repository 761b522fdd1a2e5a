// The memory section over a real MemoryExtension (SQLite in temp dirs) inside a full runtime: notes with provenance,
// sessions of every runtime sharing the database with their status, the episodic log, audited note writes, and
// runs.resume continuing the same session (same runId, seq numbers continue).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { openAuditLog, type ReinConfig, type Runtime, type Tool } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { EMBED_MODEL } from '../memory/support.ts';
import { startApi } from './helpers.ts';

const FACT = 'The deploy key lives in the vault under ops/deploy';

/** Waits until the tool's run is aborted (the user pressed stop). */
const holdTool: Tool = {
  name: 'hold',
  description: 'Wait for an external event',
  parameters: { type: 'object', properties: {} },
  capability: 'read',
  source: { kind: 'builtin' },
  run: (_args, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })),
};

let holding = true;
function reply(request: ChatRequestBody): ScriptedReply {
  const goal = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const toolOutput = request.messages.some((m) => m.role === 'tool');
  if (goal.startsWith('Remember')) return toolOutput ? { content: 'Saved it.' } : { content: '', toolCalls: [{ name: 'remember', arguments: { content: FACT } }] };
  if (goal.startsWith('Wait') && holding && !toolOutput) return { content: '', toolCalls: [{ name: 'hold', arguments: {} }] };
  return { content: 'Finished after the wait.' };
}

describe('memory service (real memory database)', () => {
  let ollama: ScriptedOllama;
  const runtimes: Runtime[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, EMBED_MODEL], replies: reply });
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await ollama.close();
  });
  const harness = async (config: ReinConfig = testConfig('policy:\n  default:\n    write: allow\n', ollama.url)) => {
    const h = await startApi(config, [holdTool]);
    runtimes.push(h.runtime);
    return { ...h, config };
  };

  it('finds remembered notes with their provenance, deletes them, lists the session with its log; every note write is audited', async () => {
    const { runtime, client, config } = await harness();
    const run = runtime.startRun('Remember where the deploy key is');
    expect(await run.result).toMatchObject({ status: 'completed', answer: 'Saved it.' });

    const [note] = await client.memory.searchNotes('deploy key vault', 5);
    expect(note).toMatchObject({ text: FACT, kind: 'fact', provenance: { source: 'remember', sessionId: run.runId, step: 1 } });
    expect(await client.memory.getNote(note!.id)).toMatchObject({ id: note!.id, text: FACT, lastUsedAt: expect.any(String) });

    const [session] = await client.memory.sessions();
    expect(session).toMatchObject({ id: run.runId, goal: 'Remember where the deploy key is', status: 'completed', steps: 2, model: DEFAULT_MODEL.name });
    expect(session!.usage.promptTokens).toBeGreaterThan(0);
    const log = await client.memory.episodes(run.runId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect([log[0]?.type, log.at(-1)?.type]).toEqual(['run.started', 'run.finished']);
    expect(log.find((e) => e.type === 'tool.result')).toMatchObject({ name: 'remember', ok: true });

    await client.memory.deleteNote(note!.id);
    await expect(client.memory.getNote(note!.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.memory.deleteNote(note!.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.memory.episodes('run_nope')).rejects.toMatchObject({ code: 'not_found' });
    expect((await client.memory.searchNotes('deploy key vault', 5)).map((n) => n.kind)).not.toContain('fact');

    const audit = openAuditLog(config);
    const writes = [...audit.entries()].filter((e) => e.kind.startsWith('memory.'));
    audit.close();
    expect(writes).toEqual([
      expect.objectContaining({ kind: 'memory.remember', runId: run.runId, data: { action: 'remember', note: expect.objectContaining({ id: note!.id, content: FACT, source: 'remember' }) } }),
      expect.objectContaining({ kind: 'memory.forget', data: { action: 'forget', id: note!.id, removed: true } }),
      expect.objectContaining({ kind: 'memory.forget', data: { action: 'forget', id: note!.id, removed: false } }),
    ]);
  }, 60_000);

  it('pins, edits and restores notes through the API with clear refusals; each change is audited', async () => {
    const { runtime, client, config } = await harness();
    expect((await runtime.startRun('Remember where the deploy key is').result).status).toBe('completed');
    const [fact] = (await client.memory.recentNotes(5)).filter((n) => n.kind === 'fact');
    expect(fact).toMatchObject({ text: FACT, pinned: false });
    const pinned = await client.memory.pinNote(fact!.id, true);
    expect(pinned).toMatchObject({ text: FACT, pinned: true });
    expect((await client.memory.pinnedNotes()).map((n) => n.id)).toEqual([pinned.id]);
    expect(await client.memory.getNote(pinned.id)).toMatchObject({ pinned: true });

    const edited = await client.memory.editNote(pinned.id, 'Reply in metric units, with SI prefixes.');
    expect(edited).toMatchObject({ id: pinned.id, text: 'Reply in metric units, with SI prefixes.', pinned: true });
    expect((await client.memory.searchNotes('SI prefixes', 5)).map((n) => n.id)).toContain(pinned.id);
    await expect(client.memory.editNote(pinned.id, 'x'.repeat(1200))).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('over the 1000') });
    await expect(client.memory.editNote(pinned.id, ' ')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(client.memory.pinNote(9999, true)).rejects.toMatchObject({ code: 'not_found' });

    await client.memory.deleteNote(pinned.id);
    await expect(client.memory.getNote(pinned.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await client.memory.restoreNote(pinned.id)).toMatchObject({ id: pinned.id, text: 'Reply in metric units, with SI prefixes.', pinned: true, provenance: { source: 'remember', step: 1 } });
    await expect(client.memory.restoreNote(pinned.id)).rejects.toMatchObject({ code: 'not_found' });
    await client.memory.pinNote(pinned.id, false);
    expect(await client.memory.pinnedNotes()).toEqual([]);

    const audit = openAuditLog(config);
    const kinds = [...audit.entries()].filter((e) => e.kind.startsWith('memory.')).map((e) => e.kind);
    audit.close();
    expect(kinds).toEqual(['memory.remember', 'memory.pin', 'memory.edit', 'memory.forget', 'memory.restore', 'memory.unpin']);
  }, 60_000);

  it('a stopped run resumes through the API as the same session: same runId, its events continue', async () => {
    const { runtime, client, next } = await harness();
    holding = true;
    const { runId } = await client.runs.start({ goal: 'Wait for the signal, then finish' });
    await next((e) => e.type === 'tool.called' && e.runId === runId);
    const stopped = next((e) => e.type === 'run.finished' && e.runId === runId);
    await client.runs.abort(runId);
    expect(await stopped).toMatchObject({ status: 'stopped' });
    expect((await client.runs.list()).find((r) => r.runId === runId)).toMatchObject({ status: 'stopped' });

    holding = false;
    const finished = next((e) => e.type === 'run.finished' && e.runId === runId);
    expect(await client.runs.resume(runId)).toEqual({ runId });
    expect(await finished).toMatchObject({ status: 'completed', answer: 'Finished after the wait.' });
    await runtime.getRun(runId)!.result;

    const events = await client.runs.events(runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type).filter((t) => ['run.started', 'run.finished', 'run.resumed'].includes(t))).toEqual(['run.started', 'run.finished', 'run.resumed', 'run.finished']);
    expect(events).toEqual(await client.memory.episodes(runId));
    const listed = (await client.runs.list()).filter((r) => r.runId === runId);
    expect(listed).toEqual([expect.objectContaining({ status: 'completed', answer: 'Finished after the wait.', goal: 'Wait for the signal, then finish', model: DEFAULT_MODEL.name })]);
    await expect(client.runs.resume(runId)).rejects.toThrow(/already completed/);
  }, 60_000);

  it('lists sessions of another runtime on the same database; one with no live run here is interrupted', async () => {
    const first = await harness();
    holding = true;
    const { runId } = await first.client.runs.start({ goal: 'Wait for the other process' });
    await first.next((e) => e.type === 'tool.called' && e.runId === runId);

    const second = await harness(first.config);
    expect((await second.client.memory.sessions()).find((s) => s.id === runId)).toMatchObject({ status: 'interrupted', goal: 'Wait for the other process' });
    expect((await second.client.runs.list()).find((r) => r.runId === runId)).toMatchObject({ status: 'interrupted', goal: 'Wait for the other process' });
    expect((await first.client.memory.sessions()).find((s) => s.id === runId)).toMatchObject({ status: 'running' });
    const inFirst = (await first.client.runs.events(runId)).map((e: RunEvent) => e.seq);
    expect((await second.client.runs.events(runId)).map((e) => e.seq)).toEqual(inFirst);
    await first.client.runs.abort(runId);
    await first.runtime.getRun(runId)!.result;
  }, 60_000);
});
