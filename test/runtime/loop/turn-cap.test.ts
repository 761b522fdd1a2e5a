// One model turn asking for hundreds of tool calls runs at most runtime.max_tool_calls_per_turn of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { addTool } from '../../support/fixtures.ts';
import { ofType, runGoal } from './harness.ts';

describe('per-turn tool call cap', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('runs the first max_tool_calls_per_turn calls, tells the model about the rest, and max_steps still holds', async () => {
    const calls = Array.from({ length: 500 }, (_, i) => ({ name: 'add', arguments: { a: i, b: 1 } }));
    ollama.script([{ toolCalls: calls }, { toolCalls: calls }, { content: 'never reached' }]);
    const { result, events } = await runGoal(ollama.url, 'add everything', { tools: [addTool], yaml: 'runtime: { max_steps: 2, max_tool_calls_per_turn: 3 }' });
    expect(result).toMatchObject({ status: 'stopped', steps: 2 });
    expect(ofType(events, 'tool.called')).toHaveLength(6);
    expect(ofType(events, 'run.notice')[0]).toMatchObject({ level: 'warn', source: 'loop', message: '497 more tool calls were not run: at most 3 per turn (runtime.max_tool_calls_per_turn)' });
    const second = ollama.chatRequests[1]!;
    expect(second.messages.filter((m) => m.role === 'tool')).toHaveLength(3);
    expect(second.messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining('497 more tool calls were not run') });
  });

  it('defaults to 16 calls per turn', async () => {
    const calls = Array.from({ length: 40 }, (_, i) => ({ name: 'add', arguments: { a: i, b: 2 } }));
    ollama.script([{ toolCalls: calls }, { content: 'done' }]);
    const { result, events } = await runGoal(ollama.url, 'add', { tools: [addTool] });
    expect(result).toMatchObject({ status: 'completed', answer: 'done' });
    expect(ofType(events, 'tool.called')).toHaveLength(16);
  });
});
