import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, MemoryApi, MemorySession, RuntimeApi } from '../../../src/common/index.ts';
import { ApiError, createApiClient } from '../../../src/common/index.ts';
import { Runtime, callApi, createRuntimeApi, loadConfig } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { echoTool, hangingTool, testConfig } from '../../support/fixtures.ts';

/** The client the renderer uses, over an in-process transport (what IPC and WebSocket carry). */
function clientOf(api: RuntimeApi): RuntimeApi {
  return createApiClient({ invoke: (method, args) => callApi(api, method, JSON.parse(JSON.stringify(args)) as unknown[]), subscribe: (l) => api.onEvent(l) });
}

function collect(api: RuntimeApi): ApiEvent[] {
  const events: ApiEvent[] = [];
  api.onEvent((event) => events.push(event));
  return events;
}

function waitFor(api: RuntimeApi, predicate: (event: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = api.onEvent((event) => {
      if (predicate(event)) {
        off();
        resolve(event);
      }
    });
  });
}

describe('runtime API', () => {
  let ollama: ScriptedOllama;
  const runtimes: Runtime[] = [];
  const setup = (yaml = '', tools = [echoTool()]) => {
    const runtime = new Runtime({ config: testConfig(yaml, ollama.url), tools, retry: { retries: 0 } });
    runtimes.push(runtime);
    const api = createRuntimeApi(runtime);
    return { runtime, api, client: clientOf(api) };
  };
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await ollama.close();
  });

  it('starts a run, streams its events and lists it with its answer and usage', async () => {
    ollama.script([{ content: 'Hello there.', evalCount: 7, promptEvalCount: 11 }]);
    const { api, client } = setup();
    const finished = waitFor(api, (e) => e.type === 'run.finished');
    const { runId } = await client.runs.start({ goal: 'greet me' });
    await finished;
    const [summary] = await client.runs.list();
    expect(summary).toMatchObject({ runId, goal: 'greet me', status: 'completed', answer: 'Hello there.', model: 'qwen3:4b', usage: { promptTokens: 11, completionTokens: 7 } });
    const events = await client.runs.events(runId);
    // (notices, e.g. memory saying the embedding model is missing, may come in between)
    expect(events.map((e) => e.type).filter((t) => t !== 'run.notice')).toEqual(['run.started', 'model.delta', 'model.delta', 'model.completed', 'run.finished']);
  });

  it('lists runs of an earlier process from their traces, marks unfinished ones interrupted and resumes them', async () => {
    const { runtime, client } = setup();
    const dir = path.join(runtime.config.dataDir, 'traces');
    fs.mkdirSync(dir, { recursive: true });
    const time = new Date().toISOString();
    const lines = [
      { type: 'run.started', runId: 'run_old', seq: 1, time, goal: 'count files', model: 'qwen3:4b', provider: 'ollama', tools: ['echo'] },
      { type: 'tool.called', runId: 'run_old', seq: 2, time, step: 1, callId: 'c1', name: 'echo', args: { text: 'a' } },
      { type: 'tool.result', runId: 'run_old', seq: 3, time, step: 1, callId: 'c1', name: 'echo', ok: true, output: 'echo: a', durationMs: 1 },
    ];
    fs.writeFileSync(path.join(dir, 'run_old.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n`);
    expect(await client.runs.list()).toEqual([expect.objectContaining({ runId: 'run_old', status: 'interrupted', goal: 'count files' })]);

    ollama.script([{ content: 'Resumed and done.' }]);
    const { runId } = await client.runs.resume('run_old');
    await runtime.getRun(runId)!.result;
    const goal = ollama.chatRequests[0]!.messages.find((m) => m.role === 'user')!.content;
    expect(goal).toContain('Continue this task, which was interrupted: count files');
    expect(goal).toContain('- echo: echo: a');
    expect((await client.runs.list())[0]).toMatchObject({ runId, resumedFrom: 'run_old', status: 'completed' });
    await expect(client.runs.events('../etc/passwd')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(client.runs.events('run_missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('aborts a running run', async () => {
    ollama.script([{ content: 'Waiting. ', toolCalls: [{ name: 'hang', arguments: {} }] }]);
    const { api, client } = setup('', [hangingTool({ aborted: false })]);
    const called = waitFor(api, (e) => e.type === 'tool.called');
    const finished = waitFor(api, (e) => e.type === 'run.finished');
    const { runId } = await client.runs.start({ goal: 'hang' });
    await called;
    await client.runs.abort(runId);
    expect(await finished).toMatchObject({ type: 'run.finished', status: 'stopped' });
  });

  it('rejects bad arguments with a message naming the method', async () => {
    const { client } = setup();
    await expect(client.runs.start({ goal: '' })).rejects.toThrow(/runs\.start: bad argument/);
    const { api } = setup();
    expect(await callApi(api, 'runs.start', [{ goal: 'x', extra: 1 }])).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await callApi(api, 'skills.list', [null])).toMatchObject({ ok: false, error: { code: 'unavailable' } }); // omitted optional argument, as JSON sends it
    expect(await callApi(api, 'runtime.close', [])).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('unknown API method') } });
  });

  it('lists models and pulls one with progress events', async () => {
    const { api, client } = setup();
    const events = collect(api);
    expect((await client.models.list()).map((m) => m.name)).toEqual(['qwen3:4b']);
    await client.models.pull('llama3.2:1b');
    const progress = events.filter((e) => e.type === 'model.pull.progress');
    expect(progress.map((e) => e.status)).toEqual(['pulling manifest', 'downloading', 'verifying sha256 digest', 'success', 'success']);
    expect(progress[1]).toMatchObject({ name: 'llama3.2:1b', completed: 50, total: 100 });
    expect(progress.at(-1)).toMatchObject({ done: true });
    expect((await client.models.list()).map((m) => m.name)).toContain('llama3.2:1b');
  });

  it('saves the model choice to rein.yaml and uses it for the next runs', async () => {
    const { runtime, client } = setup();
    const view = await client.config.setModel({ name: 'llama3.2:1b', numCtx: 4096 });
    expect(view.model).toMatchObject({ name: 'llama3.2:1b', numCtx: 4096 });
    expect(runtime.model.model).toBe('llama3.2:1b');
    const reloaded = loadConfig({ env: { REIN_HOME: runtime.config.dataDir }, cwd: runtime.config.dataDir });
    expect(reloaded.model).toMatchObject({ name: 'llama3.2:1b', num_ctx: 4096 });
    await expect(client.config.setModel({ name: 'x', numCtx: 10 })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('model.num_ctx') });
  });

  it('answers capability calls with `unavailable` until a service is registered', async () => {
    const { runtime, client } = setup();
    const error = await client.memory.sessions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', capability: 'memory', message: 'Memory is not enabled in this build/config' });
    expect((await client.config.get()).capabilities).toEqual({ approvals: false, skills: false, memory: false, mcp: false, schedules: false, knowledge: false });
    const sessions: MemorySession[] = [{ id: 's1', title: 'First', goal: 'First', status: 'completed', startedAt: 'now', updatedAt: 'now', steps: 1, usage: { promptTokens: 1, completionTokens: 1 } }];
    const memory: Partial<MemoryApi> = { sessions: () => Promise.resolve(sessions) };
    runtime.services.memory = memory as MemoryApi;
    expect(await client.memory.sessions()).toEqual(sessions);
    expect((await client.config.get()).capabilities.memory).toBe(true);
  });

  it('routes runtime questions to the API: pending, answered once, cancelled by abort', async () => {
    const { runtime, api, client } = setup();
    const asked = waitFor(api, (e) => e.type === 'question.asked');
    const answer = runtime.ask({ id: 'q1', kind: 'approval', title: 'Allow echo?', message: 'because', source: 'policy' });
    expect(await asked).toMatchObject({ question: { id: 'q1', title: 'Allow echo?' } });
    expect((await client.questions.pending()).map((q) => q.id)).toEqual(['q1']);
    await client.questions.answer('q1', { action: 'accept', always: true });
    expect(await answer).toEqual({ action: 'accept', always: true });
    await expect(client.questions.answer('q1', { action: 'decline' })).rejects.toMatchObject({ code: 'not_found' });

    const controller = new AbortController();
    const cancelled = runtime.ask({ id: 'q2', kind: 'approval', title: 't', message: 'm', source: 'policy' }, controller.signal);
    controller.abort();
    expect(await cancelled).toMatchObject({ action: 'cancel' });
    expect(await client.questions.pending()).toEqual([]);
  });
});
