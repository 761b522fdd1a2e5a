// Rein served as an MCP server: a cap on concurrent run_agent calls, and role names that are not own roles
// (`__proto__`, `constructor`) are clean validation errors.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { AgentsExtension } from '../../../src/runtime/agents/index.ts';
import { ReinMcpHarness } from '../../../src/runtime/agents/serving.ts';
import { Runtime } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';

describe('served run_agent limits', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let client: Client;
  const events: RunEvent[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    const config = testConfig('agents:\n  max_served_runs: 2\n  roles:\n    reader: { tools: [] }\n', ollama.url);
    const agents = new AgentsExtension(config, { env: {} });
    runtime = new Runtime({ config, tools: [], extensions: [agents] });
    runtime.onEvent((event) => events.push(event));
    const harness = new ReinMcpHarness(runtime, agents);
    client = await connect(harness);
  });
  afterAll(async () => {
    await client.close();
    await runtime.close();
    await ollama.close();
  });

  async function connect(harness: ReinMcpHarness): Promise<Client> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await harness.createServer().connect(serverSide);
    const c = new Client({ name: 'parent', version: '1' });
    await c.connect(clientSide);
    return c;
  }

  const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { text: string }[])[0]!.text;

  it('role names like __proto__ are unknown roles, not internal errors', async () => {
    for (const role of ['__proto__', 'constructor', 'hasOwnProperty']) {
      const result = await client.callTool({ name: 'run_agent', arguments: { goal: 'look', role } });
      expect(result.isError, role).toBe(true);
      expect(text(result)).toContain(`unknown subagent role "${role}" (agents.roles has: default, reader)`);
    }
  });

  it('refuses run_agent calls beyond agents.max_served_runs while the others run', async () => {
    // The first two runs wait for their model answer (held) while the third call arrives.
    const { promise: held, resolve: release } = Promise.withResolvers<void>();
    ollama.script([{ waitFor: held, content: 'first' }, { waitFor: held, content: 'second' }, { content: 'done' }]);
    const running = [1, 2].map(() => client.callTool({ name: 'run_agent', arguments: { goal: 'wait' } }));
    await expect.poll(() => ollama.chatRequests.length, { timeout: 20_000 }).toBe(2);
    const third = await client.callTool({ name: 'run_agent', arguments: { goal: 'one more' } });
    release();
    expect(third.isError).toBe(true);
    expect(text(third)).toContain('busy: 2 run_agent calls are already running (agents.max_served_runs: 2)');
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(2);
    expect((await Promise.all(running)).map(text).sort()).toEqual(['first', 'second']);
    // Capacity is back once they finished.
    expect(text(await client.callTool({ name: 'run_agent', arguments: { goal: 'now' } }))).toBe('done');
  }, 60_000);
});
