// A subagent's model calls over its MCP channel: the child's ParentModel asks, the parent's own model client (here an
// Ollama client against the scripted server) answers through relayModel. What the child gets must be exactly what
// the parent's model gave: text, thinking, tool calls with their ids, usage.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ParentModel } from '../../../src/runtime/agents/serving.ts';
import { relayModel } from '../../../src/runtime/agents/model-relay.ts';
import { createModelClient, type ChatRequest, type ModelChunk, type ModelClient } from '../../../src/runtime/model/index.ts';
import { createEmbedder } from '../../../src/runtime/memory/index.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';

async function collect(model: ModelClient, request: ChatRequest): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const chunk of model.chat(request)) chunks.push(chunk);
  return chunks;
}

describe('model channel (subagent → parent)', () => {
  let ollama: ScriptedOllama;
  let parent: ModelClient;
  let child: ParentModel;
  let client: Client;
  let server: McpServer;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, { name: 'nomic-embed-text', capabilities: ['embedding'] }] });
    parent = createModelClient(testConfig('', ollama.url).model, { retry: { retries: 0 } });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });
  afterAll(() => ollama.close());

  async function connect(): Promise<void> {
    server = new McpServer({ name: 'rein', version: '0' }, { capabilities: { tools: {} } });
    child = new ParentModel('qwen3:4b');
    child.attach(server.server);
    client = new Client({ name: 'rein-parent', version: '0' }, { capabilities: { sampling: { tools: {} } } });
    relayModel(client, () => parent, (model) => createEmbedder(testConfig('', ollama.url), model));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  }

  it('a turn through the parent yields exactly what the parent\'s model gives: text, thinking, tool calls, usage', async () => {
    await connect();
    const reply = {
      content: 'Let me look.',
      thinking: 'the user wants the weather',
      toolCalls: [{ name: 'weather', arguments: { city: 'Oslo', days: 2 } }, { name: 'echo', arguments: { text: 'hi' } }],
      promptEvalCount: 41,
      evalCount: 9,
    };
    ollama.script([reply, reply]);
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'weather in Oslo?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'geo', arguments: 'not json' }] },
        { role: 'tool', content: 'Oslo, NO', toolName: 'geo', callId: 'c1' },
      ],
      tools: [{ name: 'weather', description: 'Forecast', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    };
    const direct = await collect(parent, request);
    const relayed = await collect(child, request);
    const merged = (chunks: ModelChunk[]) => ({
      text: chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join(''),
      thinking: chunks.flatMap((c) => (c.type === 'thinking' ? [c.text] : [])).join(''),
      calls: chunks.flatMap((c) => (c.type === 'tool_call' ? [c.call] : [])),
      done: chunks.find((c) => c.type === 'done'),
    });
    expect(merged(relayed)).toEqual(merged(direct));
    expect(merged(relayed)).toMatchObject({ text: 'Let me look.', thinking: 'the user wants the weather', done: { usage: { promptTokens: 41, completionTokens: 9 } } });
    // The parent's model saw the child's exact request: same messages (tool results, odd arguments) and tools.
    expect(ollama.chatRequests[1]!.messages).toEqual(ollama.chatRequests[0]!.messages);
    expect(ollama.chatRequests[1]!.tools).toEqual(ollama.chatRequests[0]!.tools);
  });

  it('the model\'s details come from the parent; a reply too big for the channel is refused clearly', async () => {
    await connect();
    expect(await child.info()).toEqual(await parent.info());
    // Its events and the parent's audit name the client that really answers.
    expect({ provider: child.provider, location: child.location, model: child.model }).toEqual({ provider: 'ollama', location: ollama.url, model: 'qwen3:4b' });
    ollama.script([{ content: 'x'.repeat(9_500_000), chunks: 1 }]);
    await expect(collect(child, { messages: [{ role: 'user', content: 'everything' }] })).rejects.toThrow(/the model's reply \(10 MB\) is more than a subagent's channel carries \(9 MB\)/);
  });

  it('embeddings come through the parent too: the child\'s memory and ranking work without a network', async () => {
    await connect();
    const direct = await createEmbedder(testConfig('', ollama.url), 'nomic-embed-text').embed(['one', 'two'], undefined);
    const relayed = await child.embedder('nomic-embed-text').embed(['one', 'two']);
    expect(relayed).toEqual(direct);
    expect(relayed).toHaveLength(2);
    expect(relayed[0]).toHaveLength(8);
    expect(await child.embedder('nomic-embed-text').embed([])).toEqual([]);
  });

  it('a stopped turn in the child cancels the parent\'s model request', async () => {
    await connect();
    ollama.script([{ hang: true }]);
    const before = ollama.abandoned;
    const controller = new AbortController();
    const asked = ollama.chatRequests.length;
    const turn = collect(child, { messages: [{ role: 'user', content: 'wait' }], signal: controller.signal });
    await expect.poll(() => ollama.chatRequests.length, { timeout: 10_000 }).toBeGreaterThan(asked); // the parent's request is out
    controller.abort(new Error('stop'));
    await expect(turn).rejects.toThrow('stop');
    // The parent's own request to the model server was cancelled with it.
    await expect.poll(() => ollama.abandoned, { timeout: 5000 }).toBe(before + 1);
  });
});
