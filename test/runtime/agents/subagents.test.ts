// Subagents as real child Rein processes against the scripted Ollama server: fan-out, a crash, a hang past the
// timeout and a parent abort — each ending with clear results and an empty process table.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentFinishedEvent, AgentSpawnedEvent, RunEvent } from '../../../src/common/index.ts';
import { Runtime, openMemoryStore } from '../../../src/runtime/index.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';
import { waitNoChildren } from './process-table.ts';

const CONFIG = (timeout = 60) => `agents:
  enabled: true
  max_concurrent: 2
  timeout_s: ${timeout}
  roles:
    researcher: { description: finds facts, tools: ['echo*'] }
`;

const isParent = (request: ChatRequestBody) => (request.tools ?? []).some((t) => t.function.name === 'spawn_subagent');
const goalOf = (request: ChatRequestBody) => request.messages.find((m) => m.role === 'user')?.content ?? '';
const spawnCalls = (...goals: string[]): ScriptedReply => ({ toolCalls: goals.map((goal) => ({ name: 'spawn_subagent', arguments: { goal, role: 'researcher' } })) });

/** Children answer by their goal ("hang …" never answers); the parent fans out once, then synthesizes. */
function script(ollama: ScriptedOllama, fanOut: ScriptedReply): void {
  let parentTurns = 0;
  ollama.script((request) => {
    if (isParent(request)) return parentTurns++ === 0 ? fanOut : { content: 'synthesized' };
    const goal = goalOf(request);
    return goal.startsWith('hang') ? { hang: true } : { content: `answer to ${goal}`, promptEvalCount: 7, evalCount: 3 };
  });
}

function collect(runtime: Runtime): RunEvent[] {
  const events: RunEvent[] = [];
  runtime.onEvent((event) => events.push(event));
  return events;
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e) => e.type === type) as Extract<RunEvent, { type: T }>[];

describe('subagents', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    expect(await waitNoChildren()).toEqual([]);
  });
  afterAll(() => ollama.close());

  it('fans out to parallel subagents (within max_concurrent), nests their runs in the parent trace, and synthesizes', async () => {
    script(ollama, spawnCalls('task A', 'task B', 'task C'));
    const config = testConfig(CONFIG(), ollama.url);
    runtime = new Runtime({ config, tools: [echoTool(), echoTool('secret_write', 'write')] });
    const events = collect(runtime);
    const run = runtime.startRun('research three things');
    const result = await run.result;
    expect(result).toMatchObject({ status: 'completed', answer: 'synthesized' });

    const spawned = ofType(events, 'agent.spawned');
    const finished = ofType(events, 'agent.finished');
    expect(spawned.map((e) => e.goal).sort()).toEqual(['task A', 'task B', 'task C']);
    expect(spawned.every((e) => e.role === 'researcher' && e.backend === 'local' && e.pid! > 0)).toBe(true);
    expect(finished.map((e) => e.answer).sort()).toEqual(['answer to task A', 'answer to task B', 'answer to task C']);
    expect(finished.every((e) => e.status === 'completed' && e.usage.promptTokens === 7 && e.usage.completionTokens === 3)).toBe(true);
    expect(maxInFlight(events)).toBeLessThanOrEqual(2);

    // Each child's own run is visible inside the parent's stream and its JSONL trace.
    const nested = ofType(events, 'agent.event');
    for (const { agentId } of spawned) {
      const child = nested.filter((e) => e.agentId === agentId).map((e) => e.event.type);
      expect(child[0]).toBe('run.started');
      expect(child).toContain('run.finished');
    }
    // A child is offered only tools within the role's allow-list (`echo*`) that it has: none here (its own
    // built-ins like run_js or remember are outside the list); at max_depth it cannot spawn either.
    const childRequests = ollama.chatRequests.filter((r) => !isParent(r) && r.messages.some((m) => /task [ABC]/.test(m.content)));
    expect(childRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of childRequests) expect(request.tools ?? []).toEqual([]);
    const trace = fs.readFileSync(`${config.dataDir}/traces/${run.runId}.jsonl`, 'utf8');
    expect(trace).toContain('"type":"agent.event"');
    // Isolation: the children kept their own data (traces, database) in their ephemeral homes, not in the parent's.
    expect(fs.readdirSync(`${config.dataDir}/traces`)).toEqual([`${run.runId}.jsonl`]);
    const store = await openMemoryStore(config);
    const sessions = (await store.listSessions()).map((s) => s.id);
    await store.close();
    expect(sessions).toEqual([run.runId]);
    expect(fs.readdirSync(`${config.dataDir}/traces`)).toEqual([`${run.runId}.jsonl`]);

    const toolResults = ofType(events, 'tool.result').filter((e) => e.name === 'spawn_subagent');
    expect(toolResults.every((e) => e.ok)).toBe(true);
    expect(toolResults[0]!.output).toContain('answer to task');
    expect(ollama.chatRequests.filter((r) => !isParent(r))).toHaveLength(3);
  }, 120_000);

  it('reports a crashed subagent clearly and the parent continues', async () => {
    script(ollama, spawnCalls('hang until killed', 'task ok'));
    runtime = new Runtime({ config: testConfig(CONFIG(), ollama.url), tools: [echoTool()] });
    const events = collect(runtime);
    runtime.onEvent((event) => {
      if (event.type === 'agent.spawned' && event.goal.startsWith('hang')) process.kill(event.pid!, 'SIGKILL');
    });
    const result = await runtime.startRun('two tasks').result;
    expect(result).toMatchObject({ status: 'completed', answer: 'synthesized' });
    const crashed = ofType(events, 'agent.finished').find((e) => e.agentId === spawnedId(events, 'hang until killed'))!;
    expect(crashed.status).toBe('failed');
    expect(crashed.error).toMatch(/subagent researcher#\d+ failed: .*(closed|exited)/i);
    const failedCall = ofType(events, 'tool.result').find((e) => !e.ok)!;
    expect(failedCall.error).toContain('failed');
    expect(ofType(events, 'agent.finished').find((e) => e.answer === 'answer to task ok')?.status).toBe('completed');
  }, 120_000);

  it('kills a subagent that hangs past agents.timeout_s', async () => {
    script(ollama, spawnCalls('hang forever'));
    runtime = new Runtime({ config: testConfig(CONFIG(3), ollama.url), tools: [echoTool()] });
    const events = collect(runtime);
    const result = await runtime.startRun('one slow task').result;
    expect(result.status).toBe('completed');
    const [finished] = ofType(events, 'agent.finished');
    expect(finished).toMatchObject({ status: 'stopped', error: expect.stringContaining('timed out after 3s (agents.timeout_s) and was killed') });
    expect(ofType(events, 'tool.result')[0]!.error).toContain('timed out after 3s');
  }, 120_000);

  it('an abort of the parent mid-fan-out ends every subagent process', async () => {
    script(ollama, spawnCalls('hang one', 'hang two'));
    runtime = new Runtime({ config: testConfig(CONFIG(), ollama.url), tools: [echoTool()] });
    const events = collect(runtime);
    const run = runtime.startRun('fan out then stop');
    runtime.onEvent((event) => {
      if (event.type === 'agent.spawned' && ofType(events, 'agent.spawned').length === 2) run.abort('user pressed stop');
    });
    const result = await run.result;
    expect(result.status).toBe('stopped');
    expect(result.reason).toContain('user pressed stop');
    const finished = ofType(events, 'agent.finished');
    expect(finished).toHaveLength(2);
    expect(finished.every((e) => e.status === 'stopped' && e.error!.includes('stopped: user pressed stop'))).toBe(true);
  }, 120_000);
});

function spawnedId(events: RunEvent[], goal: string): string {
  return (events.find((e) => e.type === 'agent.spawned' && e.goal === goal) as AgentSpawnedEvent).agentId;
}

/** The most subagents alive at once, from the order of spawned/finished events. */
function maxInFlight(events: RunEvent[]): number {
  let alive = 0;
  let max = 0;
  for (const event of events) {
    if (event.type === 'agent.spawned') max = Math.max(max, ++alive);
    if (event.type === 'agent.finished' && (event as AgentFinishedEvent).status) alive--;
  }
  return max;
}
