import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { addTool, echoTool, hangingTool } from '../../support/fixtures.ts';
import { ofType, runGoal } from './harness.ts';

describe('agent loop', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({
      models: [
        { name: 'qwen3:4b', capabilities: ['completion', 'tools'], contextLength: 8192 },
        { name: 'gemma:2b', capabilities: ['completion'], contextLength: 8192 },
      ],
    });
  });
  afterAll(() => ollama.close());

  it('does a tool round trip and streams the final answer', async () => {
    ollama.script([
      { content: 'Let me add. ', toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }], promptEvalCount: 100, evalCount: 10 },
      { content: 'The sum is 5.', promptEvalCount: 120, evalCount: 6 },
    ]);
    const { result, events } = await runGoal(ollama.url, 'add 2 and 3', { tools: [addTool] });
    expect(result).toMatchObject({ status: 'completed', answer: 'The sum is 5.', steps: 2, usage: { promptTokens: 220, completionTokens: 16 } });
    expect(events.map((e) => e.type)).toEqual([
      'run.started',
      'model.delta', 'model.delta', 'model.delta', 'model.completed',
      'tool.called', 'tool.result',
      'model.delta', 'model.delta', 'model.delta', 'model.delta', 'model.completed',
      'run.finished',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(ofType(events, 'tool.result')[0]).toMatchObject({ name: 'add', ok: true, output: '5' });
    const second = ollama.chatRequests[1]!;
    expect(second.messages.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ function: { name: 'add', arguments: { a: 2, b: 3 } } }] });
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', tool_name: 'add', content: '5' });
  });

  it('runs several read calls of one turn concurrently and returns all results in order', async () => {
    let waiting = 0;
    let release: () => void = () => {};
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const barrier: Tool = {
      ...echoTool('barrier'),
      run: async (args) => {
        if (++waiting === 2) release();
        await bothStarted; // only resolves if the two calls overlap
        return `done ${String(args.text)}`;
      },
    };
    ollama.script([
      { toolCalls: [{ name: 'barrier', arguments: { text: 'one' } }, { name: 'barrier', arguments: { text: 'two' } }] },
      { content: 'both done' },
    ]);
    const { result } = await runGoal(ollama.url, 'go', { tools: [barrier], yaml: 'runtime: { tool_timeout_s: 5 }' });
    expect(result.status).toBe('completed');
    const toolMessages = ollama.chatRequests[1]!.messages.filter((m) => m.role === 'tool');
    expect(toolMessages.map((m) => m.content)).toEqual(['done one', 'done two']);
  });

  it('runs write calls one at a time', async () => {
    let active = 0;
    let maxActive = 0;
    const write: Tool = {
      ...echoTool('write_note', 'write'),
      run: async (args) => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        active--;
        return `wrote ${String(args.text)}`;
      },
    };
    ollama.script([
      { toolCalls: ['a', 'b', 'c'].map((text) => ({ name: 'write_note', arguments: { text } })) },
      { content: 'ok' },
    ]);
    const { events } = await runGoal(ollama.url, 'go', { tools: [write], yaml: 'policy: { default: { write: allow } }' });
    expect(maxActive).toBe(1);
    expect(ofType(events, 'tool.result').map((e) => e.output)).toEqual(['wrote a', 'wrote b', 'wrote c']);
  });

  it('sends a malformed call back to the model as a tool error and carries on', async () => {
    ollama.script([
      { toolCalls: [{ name: 'multiply', arguments: { a: 2 } }] },
      { toolCalls: [{ name: 'add', arguments: '{"a": 2, "b": "2"}' }] },
      { content: '4' },
    ]);
    const { result, events } = await runGoal(ollama.url, 'go', { tools: [addTool] });
    expect(result).toMatchObject({ status: 'completed', answer: '4' });
    const [unknown, repaired] = ofType(events, 'tool.result');
    expect(unknown).toMatchObject({ ok: false, error: 'unknown tool "multiply". Available tools: add' });
    expect(repaired).toMatchObject({ ok: true, output: '4' });
    expect(ollama.chatRequests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('Error: unknown tool "multiply"') });
  });

  it('detects a repeated call, reflects, and stops after max_reflections', async () => {
    ollama.script(() => ({ toolCalls: [{ name: 'echo', arguments: { text: 'same' } }] }));
    const { result, events } = await runGoal(ollama.url, 'go', { tools: [echoTool()], yaml: 'runtime: { max_reflections: 2 }' });
    const loops = ofType(events, 'loop.detected');
    expect(loops.map((e) => e.pattern)).toEqual(['repeat', 'repeat', 'repeat']);
    expect(loops.map((e) => e.reflections)).toEqual([1, 2, 2]);
    expect(result.status).toBe('stopped');
    expect(result.reason).toMatch(/^loop breaker: echo\(\{"text":"same"\}\) called 2 times/);
    const reflection = ollama.chatRequests[2]!.messages.at(-1)!;
    expect(reflection).toMatchObject({ role: 'user', content: expect.stringContaining('[Rein harness] Loop detected (repeat)') });
  });

  it('detects an A,B,A,B ping-pong', async () => {
    ollama.script((_request, i) => ({ toolCalls: [{ name: 'echo', arguments: { text: i % 2 ? 'B' : 'A' } }] }));
    const { events } = await runGoal(ollama.url, 'go', { tools: [echoTool()], yaml: 'runtime: { max_reflections: 0 }' });
    const [loop] = ofType(events, 'loop.detected');
    expect(loop).toMatchObject({ pattern: 'ping-pong', step: 4, detail: expect.stringContaining('alternating between echo({"text":"A"}) and echo({"text":"B"})') });
  });

  it('detects the same result coming back again and again', async () => {
    const search: Tool = { ...echoTool('search'), run: async () => 'no results' };
    const searching = (calls: number) => (_request: unknown, i: number) =>
      i < calls ? { toolCalls: [{ name: 'search', arguments: { text: `query ${i}` } }] } : { content: 'gave up' };
    ollama.script(searching(4));
    const recovered = await runGoal(ollama.url, 'go', { tools: [search], yaml: 'runtime: { loop_window: 3 }' });
    expect(ofType(recovered.events, 'loop.detected')).toEqual([
      expect.objectContaining({ pattern: 'same-result', step: 3, detail: 'search returned the same result 3 times in a row' }),
    ]);
    expect(recovered.result).toMatchObject({ status: 'completed', answer: 'gave up' });

    ollama.script(searching(100));
    const stuck = await runGoal(ollama.url, 'go', { tools: [search], yaml: 'runtime: { loop_window: 3 }' });
    expect(ofType(stuck.events, 'loop.detected').map((e) => e.step)).toEqual([3, 6, 9, 12]);
    expect(stuck.result).toMatchObject({ status: 'stopped', steps: 12 });
  });

  it('stops at the step budget with status stopped and a reason', async () => {
    ollama.script((_request, i) => ({ toolCalls: [{ name: 'add', arguments: { a: i, b: 1 } }] }));
    const { result } = await runGoal(ollama.url, 'count forever', { tools: [addTool], yaml: 'runtime: { max_steps: 3 }' });
    expect(result).toMatchObject({ status: 'stopped', steps: 3, reason: 'step budget exhausted: 3 steps (runtime.max_steps)' });
    expect(ollama.chatRequests).toHaveLength(3);
  });

  it('stops a model step that runs past step_timeout_s', async () => {
    ollama.script([{ hang: true }]);
    const { result } = await runGoal(ollama.url, 'go', { yaml: 'runtime: { step_timeout_s: 0.3 }' });
    expect(result).toMatchObject({ status: 'stopped', reason: 'model step 1 timed out after 300 ms (runtime.step_timeout_s)' });
  });

  it('times out a tool call, reports it to the model and continues', async () => {
    const seen = { aborted: false };
    ollama.script([{ toolCalls: [{ name: 'hang', arguments: {} }] }, { content: 'the tool hung' }]);
    const { result, events } = await runGoal(ollama.url, 'go', { tools: [hangingTool(seen)], yaml: 'runtime: { tool_timeout_s: 0.2 }' });
    expect(ofType(events, 'tool.result')[0]).toMatchObject({ ok: false, error: 'TimeoutError: tool hang timed out after 200 ms' });
    expect(seen.aborted).toBe(true);
    expect(result).toMatchObject({ status: 'completed', answer: 'the tool hung' });
  });

  it('acts through the JSON fallback protocol with a model that has no tool calling', async () => {
    ollama.script([
      { content: JSON.stringify({ action: 'add', arguments: { a: 20, b: 22 } }) },
      { content: JSON.stringify({ action: 'answer', answer: 'It is 42.' }) },
    ]);
    const { result, events } = await runGoal(ollama.url, 'add 20 and 22', { tools: [addTool], yaml: 'model: { name: gemma:2b }' });
    expect(result).toMatchObject({ status: 'completed', answer: 'It is 42.' });
    expect(ofType(events, 'tool.result')[0]).toMatchObject({ name: 'add', ok: true, output: '42' });
  });

  it('stops with a reason when aborted mid-run', async () => {
    ollama.script([{ hang: true }]);
    const { result } = await runGoal(ollama.url, 'go', { abortAfterMs: 100 });
    expect(result).toMatchObject({ status: 'stopped', reason: 'aborted: test abort' });
  });

  it('fails with the model error when the model is missing', async () => {
    const { result, events } = await runGoal(ollama.url, 'go', { yaml: 'model: { name: nope:1b }' });
    expect(result).toMatchObject({ status: 'failed', reason: 'model "nope:1b" is not pulled — run `ollama pull nope:1b`' });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed' });
  });
});
