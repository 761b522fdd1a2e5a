// A note is a fact, not a document: `remember` of 2,000,000 characters is refused with a clear error the model sees,
// nothing is stored; the limit is `memory.max_note_chars` (default 20,000) and holds for the user's notes and edits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../../src/runtime/index.ts';
import { MemoryExtension } from '../../../src/runtime/memory/index.ts';
import type { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';
import { startOllama } from './support.ts';

describe('the size of a note', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await startOllama();
  });
  afterAll(() => ollama.close());

  it('remember of 2,000,000 characters is refused with a clear error to the model; nothing is stored', async () => {
    ollama.script((_request, index) => (index === 0 ? { content: '', toolCalls: [{ name: 'remember', arguments: { content: 'x'.repeat(2_000_000) } }] } : { content: 'ok' }));
    const config = testConfig('', ollama.url);
    const memory = new MemoryExtension(config);
    const runtime = new Runtime({ config, extensions: [memory], trace: false, retry: { retries: 0 } });
    const run = await runtime.startRun('remember this');
    const result = await run.result;
    expect(result.status).toBe('completed');
    const toolResult = run.events.events().find((e) => e.type === 'tool.result');
    expect(toolResult).toMatchObject({ ok: false });
    expect(JSON.stringify(toolResult)).toContain('the note is 2,000,000 characters, over the limit of 20,000 (memory.max_note_chars)');
    expect((await memory.recentNotes(10)).filter((n) => n.source === 'remember')).toEqual([]);
    await runtime.close();
  });

  it('memory.max_note_chars is configurable and bounds the user\'s notes and edits too', async () => {
    const config = testConfig('memory:\n  max_note_chars: 100\n', ollama.url);
    const memory = new MemoryExtension(config);
    const runtime = new Runtime({ config, extensions: [memory], trace: false, retry: { retries: 0 } });
    await runtime.start();
    const note = await memory.remember('x'.repeat(100));
    await expect(memory.remember('x'.repeat(101))).rejects.toThrow('the note is 101 characters, over the limit of 100');
    await expect(memory.edit(note.id, 'y'.repeat(101))).rejects.toThrow('over the limit of 100');
    await runtime.close();
    expect(() => testConfig('memory:\n  max_note_chars: 5\n', ollama.url)).toThrow(/max_note_chars/);
  });
});
