// End to end: the model (scripted Ollama server) uses MCP tools in a run; with many tools it is offered only
// the relevant ones plus find_tools, and the run says which tools were offered.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { Runtime, type Tool } from '../../../src/runtime/index.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { MEMORY, startMcp, stdioServer } from './helpers.ts';

const memoryServer = (extra = '') => stdioServer('memory', MEMORY, [], `    env: { MEMORY_FILE_PATH: ${JSON.stringify(path.join(tempDir(), 'm.jsonl'))} }\n${extra}`);

function ofType<T extends RunEvent['type']>(events: readonly RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}

describe('a run using MCP tools', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('calls MCP tools end to end and answers from their results', async () => {
    const h = await startMcp(`mcp_servers:\n${memoryServer()}`, { host: ollama.url });
    ollama.script([
      { toolCalls: [{ name: 'memory__create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['likes tea'] }] } }] },
      { toolCalls: [{ name: 'memory__search_nodes', arguments: { query: 'Ada' } }] },
      { content: 'Ada likes tea.' },
    ]);
    try {
      const run = h.runtime.startRun('Remember that Ada likes tea, then look it up.');
      const result = await run.result;
      expect(result).toMatchObject({ status: 'completed', answer: 'Ada likes tea.' });
      const results = ofType(run.events.events(), 'tool.result');
      expect(results.map((r) => [r.name, r.ok])).toEqual([
        ['memory__create_entities', true],
        ['memory__search_nodes', true],
      ]);
      expect(results[1]!.output).toContain('likes tea');
      const lastRequest = ollama.chatRequests.at(-1)!;
      expect(lastRequest.messages.some((m) => m.role === 'tool' && m.content.includes('likes tea'))).toBe(true);
      // 9 memory tools are within the default limit of 16: all offered, find_tools left out.
      expect(ollama.chatRequests[0]!.tools!.map((t) => t.function.name)).not.toContain('find_tools');
      expect(ofType(run.events.events(), 'tools.offered')).toHaveLength(0);
    } finally {
      await h.close();
    }
  });

  it('offers at most max_tools_per_turn tools at first, pinned first; find_tools appends the rest', async () => {
    const h = await startMcp(`runtime: { max_tools_per_turn: 4 }\nmcp_servers:\n${memoryServer('    pinned_tools: [read_graph]\n')}`, { host: ollama.url });
    ollama.script([
      { toolCalls: [{ name: 'find_tools', arguments: { query: 'delete observations' } }] },
      { toolCalls: [{ name: 'memory__delete_observations', arguments: { deletions: [] } }] },
      { content: 'Nothing to delete.' },
    ]);
    try {
      const run = h.runtime.startRun('Clean up the knowledge graph.');
      expect(await run.result).toMatchObject({ status: 'completed' });
      const offeredTools = (i: number) => ollama.chatRequests[i]!.tools!.map((t) => t.function.name);
      expect(offeredTools(0)).toHaveLength(4);
      expect(offeredTools(0)).toEqual(expect.arrayContaining(['memory__read_graph', 'find_tools']));
      expect(offeredTools(1)).toContain('memory__delete_observations');
      expect(offeredTools(1)).toEqual(expect.arrayContaining(['memory__read_graph', 'find_tools']));
      // The prompt's prefix holds: step 1's tools stay, in order, and what find_tools found is appended.
      expect(offeredTools(1).slice(0, 4)).toEqual(offeredTools(0));
      expect(offeredTools(1).length).toBeGreaterThan(4);
      const offered = ofType(run.events.events(), 'tools.offered');
      expect(offered[0]).toMatchObject({ step: 1, offered: offeredTools(0) });
      expect(offered[0]!.hidden).toHaveLength(6);
      expect(['embedding', 'keyword']).toContain(offered[0]!.ranking);
      const found = ofType(run.events.events(), 'tool.result')[0]!;
      expect(found).toMatchObject({ name: 'find_tools', ok: true, output: expect.stringContaining('memory__delete_observations') });
    } finally {
      await h.close();
    }
  });

  it('limits MCP tools registered directly (not through a server connection) too', async () => {
    const tools: Tool[] = Array.from({ length: 30 }, (_, i) => ({
      name: `srv__tool_${i}`,
      description: `Tool number ${i}`,
      parameters: { type: 'object', properties: {} },
      capability: 'read',
      source: { kind: 'mcp', server: 'srv' },
      run: async () => 'ok',
    }));
    const runtime = new Runtime({ config: testConfig('runtime: { max_tools_per_turn: 12 }', ollama.url), tools, trace: false });
    ollama.script([{ content: 'done' }]);
    try {
      const run = runtime.startRun('Use srv__tool_7 please.');
      expect(await run.result).toMatchObject({ status: 'completed' });
      const offered = ollama.chatRequests[0]!.tools!.map((t) => t.function.name);
      expect(offered.length).toBeLessThanOrEqual(12);
      expect(offered).toEqual(expect.arrayContaining(['find_tools', 'srv__tool_7']));
      expect(ofType(run.events.events(), 'tools.offered')[0]!.hidden.length).toBeGreaterThan(20);
    } finally {
      await runtime.close();
    }
  });
});
