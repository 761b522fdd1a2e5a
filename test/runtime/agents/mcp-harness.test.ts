// The server side in-process: approvals raised in a served run reach the caller's channel (as the parent relays
// them), cancellation stops the run, roles narrow the tools.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent, UserAnswer, UserQuestion } from '../../../src/common/index.ts';
import { AgentsExtension } from '../../../src/runtime/agents/index.ts';
import { ReinMcpHarness } from '../../../src/runtime/agents/serving.ts';
import { relayQuestions } from '../../../src/runtime/agents/spawner.ts';
import { Runtime, type RuntimeExtension, type Tool } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';

describe('Rein MCP harness', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let client: Client;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterEach(async () => {
    await client.close();
    await runtime.close();
  });
  afterAll(() => ollama.close());

  async function serve(tools: Tool[], ask: (question: UserQuestion) => Promise<UserAnswer>, yaml = '', extensions: RuntimeExtension[] = []): Promise<RunEvent[]> {
    const config = testConfig(yaml, ollama.url);
    const agents = new AgentsExtension(config, { env: {} });
    runtime = new Runtime({ config, tools, extensions: [agents, ...extensions] });
    const events: RunEvent[] = [];
    runtime.onEvent((event) => events.push(event));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await new ReinMcpHarness(runtime, agents).createServer().connect(serverSide);
    client = new Client({ name: 'parent', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    relayQuestions(client, 'subagent researcher#1', { runId: 'run_parent', ask: (question) => ask(question) });
    await client.connect(clientSide);
    return events;
  }

  /** A capability whose tool asks through the runtime's channel, as the policy's approvals do. */
  function askingTool(): RuntimeExtension {
    return {
      name: 'asking',
      start: (host) =>
        host.registry.add({
          name: 'write_note',
          description: 'writes a note after approval',
          parameters: { type: 'object', properties: {} },
          capability: 'write',
          source: { kind: 'builtin' },
          run: async (_args, context) => {
            const answer = await host.ask({ id: 'q1', kind: 'approval', title: 'Allow write_note?', message: 'It writes a file.', source: 'policy', runId: context.runId, allowAlways: true });
            return answer.action === 'accept' ? `written (always: ${answer.always === true})` : `refused: ${answer.action}`;
          },
        }),
    };
  }

  it('relays an approval from the served run to the parent channel, naming the subagent, and the answer flows back', async () => {
    const asked: UserQuestion[] = [];
    const events = await serve([], async (question) => {
      asked.push(question);
      return { action: 'accept', always: true, by: 'user' };
    }, '', [askingTool()]);
    ollama.script([{ toolCalls: [{ name: 'write_note', arguments: {} }] }, { content: 'done' }]);
    const result = await client.callTool({ name: 'run_agent', arguments: { goal: 'write it' } });
    expect(result.structuredContent).toMatchObject({ status: 'completed', answer: 'done' });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      kind: 'approval',
      source: 'subagent researcher#1',
      runId: 'run_parent',
      title: 'subagent researcher#1: Allow write_note?',
      allowAlways: true,
      details: { subagent: 'subagent researcher#1', askedBy: 'policy' },
    });
    const toolResult = events.find((e) => e.type === 'tool.result');
    expect(toolResult).toMatchObject({ ok: true, output: 'written (always: true)' });
  }, 60_000);

  it('a decline from the parent reaches the tool as a decline', async () => {
    const events = await serve([], async () => ({ action: 'decline', reason: 'no' }), '', [askingTool()]);
    ollama.script([{ toolCalls: [{ name: 'write_note', arguments: {} }] }, { content: 'ok, not written' }]);
    await client.callTool({ name: 'run_agent', arguments: { goal: 'write it' } });
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ output: 'refused: decline' });
  }, 60_000);

  it('cancelling the call stops the run', async () => {
    const events = await serve([], async () => ({ action: 'decline' }));
    ollama.script([{ hang: true }]);
    const controller = new AbortController();
    const call = client.callTool({ name: 'run_agent', arguments: { goal: 'wait forever' } }, undefined, {
      signal: controller.signal,
      onprogress: (progress) => {
        if (progress.message === 'run.started') controller.abort('changed my mind');
      },
    });
    await expect(call).rejects.toThrow();
    const finished = await new Promise<RunEvent>((resolve) => {
      const found = events.find((e) => e.type === 'run.finished');
      if (found) resolve(found);
      else runtime.onEvent((event) => event.type === 'run.finished' && resolve(event));
    });
    expect(finished).toMatchObject({ status: 'stopped', reason: expect.stringContaining('aborted') });
  }, 60_000);

  it('a role narrows the tools and pins its system prompt; an unknown role is a clear tool error', async () => {
    const yaml = 'agents:\n  roles:\n    reader: { description: reads, tools: ["echo"], system_prompt: "You only read." }\n';
    await serve([echoTool(), echoTool('delete_all', 'write')], async () => ({ action: 'decline' }), yaml);
    ollama.script([{ content: 'read it' }]);
    await client.callTool({ name: 'run_agent', arguments: { goal: 'look', role: 'reader' } });
    const request = ollama.chatRequests[0]!;
    expect(request.tools?.map((t) => t.function.name)).toEqual(['echo']);
    expect(request.messages[0]!.content).toContain('You only read.');
    const unknown = await client.callTool({ name: 'run_agent', arguments: { goal: 'look', role: 'writer' } });
    expect(unknown.isError).toBe(true);
    expect((unknown.content as { text: string }[])[0]!.text).toContain('unknown subagent role "writer" (agents.roles has: default, reader)');
  }, 60_000);
});
