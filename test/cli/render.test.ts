import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { styleFor, type CliIo } from '../../src/cli/io.ts';
import { createRenderer } from '../../src/cli/render.ts';

function capture(): { io: CliIo; text: () => string } {
  let text = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { io: { stdout: stream, stderr: stream, env: { NO_COLOR: '1' }, cwd: process.cwd() }, text: () => text };
}

describe('run rendering', () => {
  it('says which tools are offered once, then only what is added', () => {
    const { io, text } = capture();
    const render = createRenderer(io, styleFor(io.stderr, io.env));
    const offered = (step: number, names: string[]) =>
      render({ runId: 'run_1', seq: step, time: '', type: 'tools.offered', step, offered: names, hidden: ['x', 'y'], ranking: 'keyword' } as RunEvent);
    offered(1, ['run_js', 'find_tools', 'fs__read_text_file']);
    offered(2, ['run_js', 'find_tools', 'fs__read_text_file']);
    offered(3, ['run_js', 'find_tools', 'fs__read_text_file', 'everything__echo']);
    offered(4, ['run_js', 'find_tools', 'fs__read_text_file', 'everything__echo']);
    expect(text()).toBe('ℹ offered 3 tools (keyword ranking), 2 more via find_tools\nℹ now offering everything__echo\n');
  });
});
