// The embedded engine end to end on a real (tiny, random-weight) GGUF: llama.cpp through node-llama-cpp in its
// worker process. The model talks gibberish; what is checked is the path: streaming, constrained tool calls, usage,
// embeddings, the context it created, and that a crashed worker fails one call and the next one works.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../src/runtime/index.ts';
import { ContextOverflowError, EmbeddedProvider, ModelNotFoundError, createModelClient, type ModelChunk } from '../../../src/runtime/model/index.ts';
import { TINY_GGUF } from '../../support/model-file-server.ts';
import { tempDir } from '../../support/fixtures.ts';

function embeddedConfig(name: string, extra: Partial<ModelConfig> = {}): ModelConfig {
  return { source: 'model', provider: 'embedded', name, base_url: '', flavor: 'auto', temperature: 0, ...extra };
}

async function collect(stream: AsyncIterable<ModelChunk>): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const lookup = {
  name: 'lookup',
  description: 'Look up the weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string', enum: ['Paris', 'Oslo'] } }, required: ['city'] },
};

describe('embedded provider (llama.cpp in a worker process)', () => {
  let provider: EmbeddedProvider;
  beforeAll(() => {
    provider = createModelClient(embeddedConfig(TINY_GGUF, { num_ctx: 1024, threads: 1 }), { dataDir: tempDir() }) as EmbeddedProvider;
  });
  afterAll(() => provider.close());

  it('reports the context it created and how it calls tools', async () => {
    expect(await provider.isLoaded()).toBe(false); // nothing in memory before the first use
    const loading = provider.info();
    expect(await provider.isLoaded()).toBe(false); // the status says "loading" meanwhile
    const info = await loading;
    expect(await provider.isLoaded()).toBe(true);
    expect(info.contextWindow).toBe(1024); // num_ctx: the engine created exactly that
    expect(info.maxContextLength).toBe(4096); // the GGUF's own training length
    expect(info.supportsTools).toBe(false); // no chat template with tool calls: the JSON protocol under a grammar
    expect(provider.provider).toBe('embedded');
    expect(provider.model).toBe(TINY_GGUF);
  });

  it('streams a plain answer in several chunks and counts its tokens', async () => {
    const chunks = await collect(provider.chat({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }], maxReplyTokens: 12 }));
    const texts = chunks.filter((c) => c.type === 'text');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((c) => (c as { text: string }).text).join('').length).toBeGreaterThan(0);
    const done = chunks.at(-1)!;
    expect(done).toMatchObject({ type: 'done', doneReason: 'length' });
    const usage = (done as Extract<ModelChunk, { type: 'done' }>).usage;
    expect(usage.completionTokens).toBe(12); // the reply limit, every token counted
    expect(usage.promptTokens).toBeGreaterThan(0);
  });

  it('a tool call constrained by the grammar arrives with arguments that match the tool schema', async () => {
    const chunks = await collect(provider.chat({ messages: [{ role: 'user', content: 'What is the weather in Paris?' }], tools: [lookup], maxReplyTokens: 64 }));
    const calls = chunks.filter((c) => c.type === 'tool_call');
    expect(calls).toHaveLength(1);
    const { call } = calls[0] as Extract<ModelChunk, { type: 'tool_call' }>;
    expect(call.name).toBe('lookup');
    expect(['Paris', 'Oslo']).toContain((call.arguments as { city: string }).city);
    expect(chunks.filter((c) => c.type === 'text')).toEqual([]); // the JSON is not shown as text
  });

  it('a tool result goes back to the model and the conversation continues', async () => {
    const chunks = await collect(
      provider.chat({
        messages: [
          { role: 'user', content: 'What is the weather in Paris?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: { city: 'Paris' } }] },
          { role: 'tool', content: 'sunny, 21 °C', toolName: 'lookup', callId: 'c1' },
        ],
        maxReplyTokens: 16,
      }),
    );
    expect(chunks.at(-1)?.type).toBe('done');
    expect(chunks.some((c) => c.type === 'text')).toBe(true);
  });

  it('a prompt larger than the context is a ContextOverflowError (the loop compacts and retries), never a silent cut', async () => {
    // Rein estimates ~4 characters per token; these characters take a token or more each, so the estimate lets it through.
    const dense = '€ü߷'.repeat(600);
    await expect(collect(provider.chat({ messages: [{ role: 'user', content: dense }] }))).rejects.toThrow(ContextOverflowError);
    await expect(collect(provider.chat({ messages: [{ role: 'user', content: dense }] }))).rejects.toThrow(/the prompt \(\d+ tokens\) does not fit the context of 1024 tokens/);
  });

  it('embeds texts with the model (one vector per text, of the model width)', async () => {
    const vectors = await provider.embed(['memory note one', 'another note']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(8); // this GGUF's embedding length
    expect(vectors[0]).not.toEqual(vectors[1]);
  });

  it('a killed worker fails the call in flight with a clear error; the next call starts a new worker and works', async () => {
    const first = provider.chat({ messages: [{ role: 'user', content: 'Write a long story.' }], maxReplyTokens: 2000 });
    const iterator = first[Symbol.asyncIterator]();
    await iterator.next(); // generating now
    const pid = provider.enginePid!;
    process.kill(pid, 'SIGKILL');
    let failure: unknown;
    try {
      while (!(await iterator.next()).done);
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).message).toMatch(/embedded engine's worker process was killed by SIGKILL .*the call is lost and a new worker serves the next one/);
    expect(await provider.isLoaded()).toBe(false); // the new worker loads it again
    const again = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello again.' }], maxReplyTokens: 4 }));
    expect(again.at(-1)).toMatchObject({ type: 'done', usage: { completionTokens: 4 } });
    expect(provider.enginePid).not.toBe(pid);
    expect(await provider.isLoaded()).toBe(true);
  });

  it('close ends the worker process', async () => {
    const other = new EmbeddedProvider(embeddedConfig(TINY_GGUF, { num_ctx: 512 }), { dataDir: tempDir(), engine: {} });
    await other.info();
    const pid = other.enginePid!;
    expect(alive(pid)).toBe(true);
    await other.close();
    await provider.close(); // the engine is shared: the last one out ends it
    await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
    await provider.info(); // and a later call starts it again
    expect(provider.enginePid).toBeGreaterThan(0);
  });
});

describe('embedded provider without the model file', () => {
  it('says how to download a recommended model, and a missing path plainly', async () => {
    const dataDir = tempDir();
    const recommended = new EmbeddedProvider(embeddedConfig('qwen3-4b'), { dataDir });
    await expect(recommended.info()).rejects.toThrow(ModelNotFoundError);
    await expect(recommended.info()).rejects.toThrow(`model qwen3-4b is not downloaded — download it with \`rein models pull qwen3-4b\` (2.5 GB, licence Apache-2.0) into ${path.join(dataDir, 'models')}`);
    const missing = new EmbeddedProvider(embeddedConfig('/nowhere/model.gguf'), { dataDir });
    await expect(missing.info()).rejects.toThrow('no GGUF file at /nowhere/model.gguf (model.name)');
    expect(recommended.enginePid).toBeUndefined(); // nothing was started for a model that is not there
  });

  it('a file that is not a GGUF fails the load with the engine\'s reason, and the worker survives', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'broken.gguf');
    fs.writeFileSync(bad, 'not a gguf file at all');
    const provider = new EmbeddedProvider(embeddedConfig(bad), { dataDir: dir });
    try {
      await expect(provider.info()).rejects.toThrow(/cannot load .*broken\.gguf/);
    } finally {
      await provider.close();
    }
  });
});
