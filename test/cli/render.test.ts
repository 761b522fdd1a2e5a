import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { styleFor, type CliIo } from '../../src/cli/io.ts';
import { createRenderer, type RenderOptions } from '../../src/cli/render.ts';
import { createTtyAsker } from '../../src/cli/tty-asker.ts';

function capture(): { io: CliIo; text: () => string } {
  let text = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { io: { stdout: stream, stderr: stream, env: { NO_COLOR: '1' }, cwd: process.cwd() }, text: () => text };
}

const base = (seq: number) => ({ runId: 'run_1', seq, time: '' });

function rendered(events: Record<string, unknown>[], options: RenderOptions = {}): string {
  const { io, text } = capture();
  const render = createRenderer(io, styleFor(io.stderr, io.env), options);
  events.forEach((event, i) => { render({ ...base(i + 1), ...event } as RunEvent); });
  return text();
}

describe('run rendering', () => {
  it('says which tools are offered once, then only what is added — with --verbose only', () => {
    const offered = (step: number, names: string[]) => ({ type: 'tools.offered', step, offered: names, hidden: ['x', 'y'], ranking: 'keyword' });
    const events = [offered(1, ['run_js', 'find_tools', 'fs__read_text_file']), offered(2, ['run_js', 'find_tools', 'fs__read_text_file']), offered(3, ['run_js', 'find_tools', 'fs__read_text_file', 'everything__echo'])];
    expect(rendered(events, { verbose: true })).toBe('ℹ offered 3 tools (keyword ranking), 2 more via find_tools\nℹ now offering everything__echo\n');
    expect(rendered(events)).toBe('');
  });

  it('prints the run id as the run starts and ends (for --continue and rein feedback)', () => {
    const text = rendered([
      { type: 'run.started', goal: 'g', model: 'qwen3:4b', provider: 'ollama', tools: ['a', 'b'] },
      { type: 'run.finished', status: 'completed', steps: 1, usage: { promptTokens: 3, completionTokens: 2 } },
    ]);
    expect(text).toBe('rein · ollama qwen3:4b · 2 tools · run run_1\n✓ completed · 1 step, 3 prompt + 2 completion tokens · run run_1\n');
  });

  it('shows a tool result as readable lines (JSON field by field), never literal \\n, and cuts long output', () => {
    const text = rendered([
      { type: 'tool.result', step: 1, callId: 'c', name: 'read_file', ok: true, output: 'line one\nline two\n\tindented', durationMs: 12 },
      { type: 'tool.result', step: 1, callId: 'c', name: 'lookup', ok: true, output: '{"city":"Lisbon","days":[1,2]}', durationMs: 3, userMs: 17000 },
      { type: 'tool.result', step: 1, callId: 'c', name: 'long', ok: true, output: Array.from({ length: 9 }, (_, i) => `row ${i + 1}`).join('\n'), durationMs: 1 },
    ]);
    expect(text).not.toContain('\\n');
    expect(text).toContain('✓ read_file 12 ms\n  │ line one\n  │ line two\n  │ \tindented\n');
    expect(text).toContain('✓ lookup 3 ms + 17000 ms yours\n  │ city: Lisbon\n  │ days: [1,2]\n');
    expect(text).toContain('  │ row 4\n  │ … 5 more lines\n');
  });

  it('says a failure\'s cause once: retries say they retry, the failure says why (the cause with --verbose)', () => {
    const cause = 'Ollama is not reachable at http://127.0.0.1:1 (ECONNREFUSED)';
    const events = [
      { type: 'model.retry', step: 1, attempt: 1, delayMs: 500, error: cause },
      { type: 'model.retry', step: 1, attempt: 2, delayMs: 1000, error: cause },
      { type: 'run.finished', status: 'failed', reason: cause, steps: 1, usage: { promptTokens: 0, completionTokens: 0 } },
    ];
    expect(rendered(events).split(cause)).toHaveLength(2);
    expect(rendered(events)).toContain('… the model did not answer; trying again in 0.5 s\n');
    expect(rendered(events, { verbose: true }).split(cause)).toHaveLength(4);
  });

  it('an approval asked at this terminal is left to its prompt, which names the arguments once', async () => {
    const call = { type: 'tool.called', step: 1, callId: 'c', name: 'write_note', args: { path: 'a.md' } };
    const asked = { type: 'approval.requested', id: 'apr_1', step: 1, callId: 'c', tool: 'write_note', args: { path: 'a.md' }, rule: 'policy.default.write', reason: 'write_note writes', risk: 'write' };
    expect(rendered([call, asked], { prompting: true })).toBe('→ write_note({"path":"a.md"})\n');
    expect(rendered([call, asked])).toContain('? waiting for approval apr_1 to run write_note: write_note writes — answer in the Rein app or with `rein approvals allow|deny apr_1`');
    // types each answer once the prompt is printed
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    const answers = ['y', 'n', ''];
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (/: $/.test(printed) && answers.length) input.write(`${answers.shift()}\n`);
    });
    const text = () => printed;
    const asker = createTtyAsker(input, output);
    const details = (args: unknown) => ({ tool: 'write_note', args, rule: 'policy.default.write', reason: 'write_note writes', risk: 'write' });
    const answer = asker({ id: 'apr_1', kind: 'approval', title: 'Allow write_note?', message: 'write_note writes\nTool: write_note\nArguments: {"path":"a.md"}', source: 'policy', details: details({ path: 'a.md' }) });
    expect(await answer).toMatchObject({ action: 'accept' });
    expect(text()).toContain('  why: write_note writes\n  rule: policy.default.write · risk: write\n');
    expect(text()).not.toContain('a.md'); // shown whole on the → line already
    const long = { text: 'x'.repeat(300) };
    const second = asker({ id: 'apr_2', kind: 'approval', title: 'Allow write_note?', message: '', source: 'policy', details: details(long) });
    expect(await second).toMatchObject({ action: 'decline' });
    expect(text().split('x'.repeat(300))).toHaveLength(2); // cut on the → line: the prompt shows them, once
  });
});
