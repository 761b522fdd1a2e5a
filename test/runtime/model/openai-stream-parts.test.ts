// The pieces of a streamed reply on their own: tool-call deltas in every shape servers send, printed calls split
// across deltas, and SSE framing (error: lines, comments, [DONE] without its blank line, bytes split anywhere).
import { describe, expect, it } from 'vitest';
import { ToolCallAssembler } from '../../../src/runtime/model/openai/tool-calls.ts';
import { readSse, type SseItem } from '../../../src/runtime/model/openai/sse.ts';
import { TextToolCalls } from '../../../src/runtime/model/text-tool-calls.ts';

const ids = () => {
  let n = 0;
  return () => `call_${++n}`;
};

describe('tool-call deltas', () => {
  it('keys calls by index and id: a new id at a used index starts a new call; a repeated id continues its call', () => {
    const calls = new ToolCallAssembler();
    calls.push([{ index: 0, id: 'a', function: { name: 'add', arguments: '{"a":' } }]);
    calls.push([{ index: 0, id: 'a', function: { arguments: '1}' } }]);
    calls.push([{ index: 0, id: 'b', function: { name: 'echo', arguments: '{"text":"x"}' } }]);
    expect(calls.finish(ids())).toEqual([
      { id: 'a', name: 'add', arguments: { a: 1 } },
      { id: 'b', name: 'echo', arguments: { text: 'x' } },
    ]);
  });

  it('ids only on the first delta, the name repeated or empty first, fragments joined, finished arguments sent twice kept once', () => {
    const calls = new ToolCallAssembler();
    calls.push([{ index: 0, id: 'x', function: { name: '', arguments: '' } }]);
    calls.push([{ index: 0, function: { name: 'add' } }]);
    calls.push([{ index: 0, function: { name: 'add', arguments: '{"a": 2,' } }]);
    calls.push([{ index: 0, function: { name: 'add', arguments: ' "b": 3}' } }]);
    calls.push([{ index: 1, id: 'y', function: { name: 'echo', arguments: '{"text":"hi"}' } }]);
    calls.push([{ index: 1, function: { arguments: '{"text":"hi"}' } }]);
    expect(calls.finish(ids())).toEqual([
      { id: 'x', name: 'add', arguments: { a: 2, b: 3 } },
      { id: 'y', name: 'echo', arguments: { text: 'hi' } },
    ]);
  });

  it('arguments as an object, no index or id at all, and junk left as text for the guard to repair', () => {
    const calls = new ToolCallAssembler();
    calls.push([{ function: { name: 'add', arguments: { a: 1 } } }, { function: { name: 'echo', arguments: '{text: hi' } }]);
    expect(calls.finish(ids())).toEqual([
      { id: 'call_1', name: 'add', arguments: { a: 1 } },
      { id: 'call_2', name: 'echo', arguments: '{text: hi' },
    ]);
  });
});

describe('printed tool calls', () => {
  it('holds back a <tool_call> tag split across deltas, shows the text before it', () => {
    const printed = new TextToolCalls(['add']);
    const shown = ['Sure. <tool', '_call>{"name": "add", "arguments": {"a": 1}}</tool_', 'call>'].map((t) => printed.push(t)).join('');
    expect(shown).toBe('Sure. ');
    expect(printed.finish()).toEqual({ calls: [{ name: 'add', arguments: { a: 1 } }], text: '' });
  });

  it('[TOOL_CALLS] lists and fenced JSON; an unknown name in bare JSON is an answer, not a call', () => {
    const mistral = new TextToolCalls(['add']);
    mistral.push('[TOOL_CALLS] [{"name": "add", "arguments": {"a": 1}}, {"name": "add", "arguments": {"a": 2}}]');
    expect(mistral.finish().calls).toHaveLength(2);
    const fenced = new TextToolCalls(['add']);
    fenced.push('```json\n{"name": "add", "parameters": {"a": 3}}\n```');
    expect(fenced.finish().calls).toEqual([{ name: 'add', arguments: { a: 3 } }]);
    const answer = new TextToolCalls(['add']);
    expect(answer.push('{"name": "Ada", "arguments": []}')).toBe('');
    expect(answer.finish()).toEqual({ calls: [], text: '{"name": "Ada", "arguments": []}' });
  });

  it('plain text streams through at once', () => {
    const printed = new TextToolCalls(['add']);
    expect(printed.push('The answer ')).toBe('The answer ');
    expect(printed.push('is 4.')).toBe('is 4.');
    expect(printed.finish()).toEqual({ calls: [], text: '' });
  });
});

describe('SSE framing', () => {
  async function items(parts: string[]): Promise<SseItem[]> {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(encoder.encode(part));
        controller.close();
      },
    });
    const out: SseItem[] = [];
    for await (const item of readSse(body)) out.push(item);
    return out;
  }

  it('reads data split anywhere, skips keep-alive comments, and takes a [DONE] without its blank line', async () => {
    const stream = 'data: {"a":1}\n\n:\n\n: ping\n\ndata: {"b":2}\n\ndata: [DONE]\n';
    const whole = await items([stream]);
    expect(whole).toEqual([{ kind: 'data', data: '{"a":1}' }, { kind: 'data', data: '{"b":2}' }, { kind: 'done' }]);
    const byteByByte = await items(stream.split(''));
    expect(byteByByte).toEqual(whole);
  });

  it("llama.cpp's error: line (2025 builds) is reported, even split across reads", async () => {
    const stream = 'error: {"code":400,"message":"the request exceeds the available context size"}\n\ndata: [DONE]\n\n';
    expect(await items([stream.slice(0, 9), stream.slice(9, 40), stream.slice(40)])).toEqual([
      { kind: 'error', text: '{"code":400,"message":"the request exceeds the available context size"}' },
      { kind: 'done' },
    ]);
  });
});
