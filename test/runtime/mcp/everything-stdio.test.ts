// server-everything over stdio: discovery, calls through the guard, content mapping, progress, resources,
// prompts, elicitation, sampling (after approval, by the scripted local model) and the minimal environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { EVERYTHING, eventsOf, startMcp, stdioServer, type McpHarness } from './helpers.ts';

describe('MCP over stdio (server-everything)', () => {
  let ollama: ScriptedOllama;
  let h: McpHarness;
  beforeAll(async () => {
    process.env.REIN_TEST_SECRET = 'must-not-leak';
    ollama = await ScriptedOllama.start({ replies: [{ content: 'sampled by the local model' }] });
    h = await startMcp(`mcp_servers:\n${stdioServer('everything', EVERYTHING, ['stdio'], '    env: { GREETING: hello }\n    trust_annotations: true\n')}`, {
      host: ollama.url,
      answer: (q) =>
        q.kind === 'elicitation'
          ? new Promise((resolve) => setTimeout(() => { resolve({ action: 'accept', content: { color: 'blue', number: 7, pets: 'dogs' } }); }, 800)) // the user takes a while
          : q.title.includes('everything') ? { action: 'accept' } : { action: 'decline' },
    });
  });
  afterAll(async () => {
    await h.close();
    await ollama.close();
    delete process.env.REIN_TEST_SECRET;
  });

  it('starts, reports ready and registers namespaced tools with capabilities from annotations', () => {
    const status = h.status('everything');
    expect(status).toMatchObject({ state: 'ready', transport: 'stdio' });
    const echo = h.runtime.registry.get('everything__echo')!;
    expect(echo.source).toEqual({ kind: 'mcp', server: 'everything' });
    expect(echo.capability).toBe('read');
    expect(h.runtime.registry.get('everything__toggle-simulated-logging')!.capability).toBe('write');
    expect(h.system).toContainEqual(expect.objectContaining({ type: 'mcp.server.status', server: 'everything', state: 'ready' }));
  });

  it('calls tools through the guarded path and maps text, image and embedded resources', async () => {
    const echo = await h.call('everything__echo', { message: 'hi there' });
    expect(echo).toMatchObject({ ok: true, output: 'Echo: hi there' });
    expect(eventsOf(echo.events, 'tool.called')[0]).toMatchObject({ name: 'everything__echo' });

    const sum = await h.call('everything__get-sum', { a: 2, b: '3' });
    expect(sum.output).toContain('5');

    const image = await h.call('everything__get-tiny-image');
    expect(image.output).toMatch(/\[image image\/png, \d+(\.\d)? (bytes|KB)\]/);

    const resource = await h.call('everything__get-resource-reference', { resourceType: 'Text', resourceId: 1 });
    expect(resource.output).toMatch(/\[resource demo:\/\/resource\/static\/document\/|\[resource .*text/i);
  });

  it('turns progress notifications into tool.progress events', async () => {
    const result = await h.call('everything__trigger-long-running-operation', { duration: 0.3, steps: 3 });
    expect(result.ok).toBe(true);
    const progress = eventsOf(result.events, 'tool.progress');
    // The SDK may drop the last notification when the result overtakes it; earlier ones always arrive.
    expect(progress.map((p) => p.progress).slice(0, 2)).toEqual([1, 2]);
    expect(progress[0]).toMatchObject({ name: 'everything__trigger-long-running-operation', total: 3, step: 1 });
  });

  it('lists and reads resources and prompts', async () => {
    const resources = await h.mcp.listResources('everything');
    expect(resources.length).toBeGreaterThan(0);
    const read = await h.mcp.readResource('everything', resources[0]!.uri);
    expect(read.contents[0]!.uri).toBe(resources[0]!.uri);
    const prompts = await h.mcp.listPrompts('everything');
    const simple = prompts.find((p) => !p.arguments?.some((a) => a.required))!;
    const prompt = await h.mcp.getPrompt('everything', simple.name);
    expect(prompt.messages.length).toBeGreaterThan(0);
    await expect(h.mcp.listPrompts('nope')).rejects.toThrow('no MCP server named "nope"');
  });

  it('sends elicitation to the user and returns the answer to the server', async () => {
    const result = await h.call('everything__trigger-elicitation-request');
    const question = h.questions.find((q) => q.kind === 'elicitation')!;
    expect(question).toMatchObject({ source: 'everything', schema: expect.objectContaining({ type: 'object' }) });
    expect(result.ok).toBe(true);
    expect(result.output).toContain('blue');
    // the user's typing time is theirs, not the tool's
    const timing = eventsOf(result.events, 'tool.result')[0]!;
    expect(timing.userMs).toBeGreaterThanOrEqual(750);
    expect(timing.durationMs).toBeLessThan(timing.userMs!);
  });

  it('answers sampling with the local model only after approval', async () => {
    const result = await h.call('everything__trigger-sampling-request', { prompt: 'Say something', maxTokens: 20 });
    expect(h.questions.some((q) => q.kind === 'sampling' && q.source === 'everything')).toBe(true);
    expect(result.ok).toBe(true);
    expect(result.output).toContain('sampled by the local model');
    expect(ollama.chatRequests.at(-1)!.tools).toBeUndefined();
  });

  it('passes only the minimal environment plus the configured env to stdio servers', async () => {
    const result = await h.call('everything__get-env');
    expect(result.output).toContain('GREETING');
    expect(result.output).toContain('PATH');
    expect(result.output).not.toContain('REIN_TEST_SECRET');
    expect(result.output).not.toContain('must-not-leak');
  });
});

describe('sampling without approval', () => {
  it('is declined when nobody can answer, and the model is never asked', async () => {
    const ollama = await ScriptedOllama.start({ replies: [{ content: 'should not be used' }] });
    const h = await startMcp(`mcp_servers:\n${stdioServer('everything', EVERYTHING, ['stdio'])}`, { host: ollama.url });
    try {
      const result = await h.call('everything__trigger-sampling-request', { prompt: 'x', maxTokens: 5 });
      expect(result.ok).toBe(false);
      expect(result.error).toContain('declined');
      expect(ollama.chatRequests).toHaveLength(0);
    } finally {
      await h.close();
      await ollama.close();
    }
  });
});
