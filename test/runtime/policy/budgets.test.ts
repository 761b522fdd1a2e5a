import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { echoTool, hangingTool, testConfig } from '../../support/fixtures.ts';
import { ofType, runtimeFor } from './helpers.ts';

const echo = (text: string) => ({ toolCalls: [{ name: 'echo', arguments: { text } }], promptEvalCount: 100, evalCount: 20 });

describe('budgets per run', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('max_tool_calls: the call over budget is refused and the run stops', async () => {
    const runtime = runtimeFor(testConfig('policy: { budgets: { max_tool_calls: 2 } }', ollama.url), [echoTool()]);
    ollama.script((_request, i) => echo(`n${i}`));
    const run = runtime.startRun('echo forever');
    const result = await run.result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'stopped', reason: 'tool-call budget spent: 2 calls (policy.budgets.max_tool_calls)' });
    const results = ofType(run.events.events(), 'tool.result');
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(ofType(run.events.events(), 'budget.exceeded')).toEqual([expect.objectContaining({ budget: 'max_tool_calls', limit: 2, used: 3 })]);
  });

  it('max_calls_per_tool counts calls per tool name glob', async () => {
    // Tool names match case-insensitively, like rules.
    const yaml = 'policy: { budgets: { max_calls_per_tool: { "EC*": 1 } } }';
    const runtime = runtimeFor(testConfig(yaml, ollama.url), [echoTool()]);
    ollama.script((_request, i) => echo(`n${i}`));
    const result = await runtime.startRun('echo').result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'stopped', reason: expect.stringContaining('tool-call budget for EC* spent: 1 calls') });
  });

  it('max_tokens stops the run before the next step', async () => {
    const runtime = runtimeFor(testConfig('policy: { budgets: { max_tokens: 250 } }', ollama.url), [echoTool()]);
    ollama.script((_request, i) => echo(`n${i}`));
    const run = runtime.startRun('echo');
    const result = await run.result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'stopped', steps: 3, reason: 'token budget spent: 360 of 250 tokens (policy.budgets.max_tokens)' });
    expect(ofType(run.events.events(), 'budget.exceeded')).toHaveLength(1);
  });

  it('max_wall_time_s stops a run stuck inside a step and aborts the tool', async () => {
    const seen = { aborted: false };
    const yaml = 'runtime: { tool_timeout_s: 600 }\npolicy: { budgets: { max_wall_time_s: 0.5 } }';
    const runtime = runtimeFor(testConfig(yaml, ollama.url), [hangingTool(seen)]);
    ollama.script([{ toolCalls: [{ name: 'hang', arguments: {} }] }, { content: 'never' }]);
    const run = runtime.startRun('hang');
    const result = await run.result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'stopped', reason: 'wall-time budget spent: 0.5s (policy.budgets.max_wall_time_s)' });
    expect(seen.aborted).toBe(true);
    expect(ofType(run.events.events(), 'budget.exceeded')).toEqual([expect.objectContaining({ budget: 'max_wall_time_s' })]);
  });

  it('max_wall_time_s also interrupts a model turn that does not answer', async () => {
    const yaml = 'runtime: { step_timeout_s: 600 }\npolicy: { budgets: { max_wall_time_s: 0.5 } }';
    const runtime = runtimeFor(testConfig(yaml, ollama.url), []);
    ollama.script([{ hang: true }]);
    const result = await runtime.startRun('think forever').result;
    await runtime.close();
    expect(result).toMatchObject({ status: 'stopped', steps: 1, reason: 'wall-time budget spent: 0.5s (policy.budgets.max_wall_time_s)' });
  });
});
