// The Ollama provider and the server's context: the loaded length (/api/ps), overflow as an error, calibrated token
// estimates against a server that reuses the prompt prefix, and refused connections that fail at once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ContextOverflowError, ModelUnreachableError, OllamaProvider, type ChatMessage, type ChatRequest, type ModelClient } from '../../../src/runtime/model/index.ts';
import { parseConfig } from '../../../src/runtime/config/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';

function provider(host: string, model: Record<string, unknown> = {}): OllamaProvider {
  return new OllamaProvider({ ...parseConfig('', { env: {} }).model, provider: 'ollama', name: 'qwen3:4b', base_url: host, ...model }, { retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 10 } });
}

async function drain(client: ModelClient, request: ChatRequest): Promise<void> {
  for await (const chunk of client.chat(request)) void chunk;
}

describe('Ollama provider and the loaded context', () => {
  let ollama: ScriptedOllama | undefined;
  afterEach(() => ollama?.close());

  it('sends truncate: false and shift: false, and caps the window at the context /api/ps reports', async () => {
    ollama = await ScriptedOllama.start({ prefixCache: true, maxLoadedContext: 4096 });
    const client = provider(ollama.url, { num_ctx: 8192 });
    await drain(client, { messages: [{ role: 'user', content: 'hi' }] });
    expect(ollama.chatRequests[0]).toMatchObject({ truncate: false, shift: false, options: { num_ctx: 8192 } });
    await expect.poll(async () => (await client.info()).contextWindow).toBe(4096);
    await drain(client, { messages: [{ role: 'user', content: 'again' }] });
    expect(ollama.chatRequests[1]!.options?.num_ctx).toBe(4096);
  });

  it('turns an overflow the server refuses into a ContextOverflowError, without retrying', async () => {
    ollama = await ScriptedOllama.start({ prefixCache: true, maxLoadedContext: 256 });
    const client = provider(ollama.url, { num_ctx: 8192 });
    const big: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(400) }, { role: 'assistant', content: 'y'.repeat(400) }, { role: 'user', content: 'z'.repeat(600) }];
    const error = await drain(client, { messages: big }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextOverflowError);
    expect((error as Error).message).toMatch(/does not fit the context Ollama loaded/);
    expect(ollama.chatRequests).toHaveLength(1);
  });

  it('calibrates its token estimate against prompt_eval_count of the part after the reused prefix', async () => {
    ollama = await ScriptedOllama.start({ prefixCache: true });
    const client = provider(ollama.url, { num_ctx: 8192 });
    const messages: ChatMessage[] = [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'word '.repeat(200) }];
    for (let i = 0; i < 6; i++) {
      await drain(client, { messages: [...messages] });
      messages.push({ role: 'assistant', content: 'ok' }, { role: 'user', content: `more ${i} `.repeat(80) });
    }
    const evaluated = ollama.promptStats.map((s) => s.evaluatedTokens);
    const total = ollama.promptStats.map((s) => s.promptTokens);
    // The server evaluated only what followed the previous prompt…
    expect(evaluated.at(-1)!).toBeLessThan(total.at(-1)! / 3);
    // …and the calibrated estimate of the whole prompt lands near the server's own count.
    const estimate = client.estimateTokens(messages.slice(0, -2));
    expect(Math.abs(estimate - total.at(-1)!) / total.at(-1)!).toBeLessThan(0.15);
  });

  it('fails at once, with one message, when the connection is refused', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const retries: number[] = [];
    const error = await drain(provider(`http://127.0.0.1:${port}`), { messages: [{ role: 'user', content: 'hi' }], onRetry: (n) => retries.push(n.attempt) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnreachableError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(retries).toEqual([]);
  });
});
