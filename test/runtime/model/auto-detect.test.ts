// provider auto (nothing in rein.yaml): Ollama when it answers, else an OpenAI-compatible server on its usual port,
// else the embedded engine — against real local servers on ephemeral ports (the probe targets are injected).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../../src/common/index.ts';
import { Runtime, parseConfig, type ModelConfig } from '../../../src/runtime/index.ts';
import { DEFAULT_TARGETS, createModelClient, detectSources, probeTargets, type ProbeTargets } from '../../../src/runtime/model/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { tempDir } from '../../support/fixtures.ts';

const AUTO: ModelConfig = { source: 'model', provider: 'auto', name: '', base_url: '', flavor: 'auto', temperature: 0.2 };
const CLOSED = 'http://127.0.0.1:1';

/** A minimal OpenAI-compatible server: GET /v1/models, as LM Studio or llama-server answer it. */
async function openAiServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/v1/models') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'qwen2.5-7b-instruct', object: 'model' }] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('provider auto', () => {
  let ollama: ScriptedOllama;
  let lmstudio: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    lmstudio = await openAiServer();
  });
  afterAll(async () => {
    await ollama.close();
    await lmstudio.close();
  });

  it('uses Ollama when it answers, and runs against it', async () => {
    const targets: ProbeTargets = { ollama: ollama.url, openaiCompatible: [{ flavor: 'lmstudio', baseUrl: lmstudio.url }], timeoutMs: 300 };
    const client = createModelClient(AUTO, { probe: targets, dataDir: tempDir() });
    expect(client.provider).toBe('auto'); // nothing probed yet
    ollama.script([{ content: 'from ollama' }]);
    let text = '';
    for await (const chunk of client.chat({ messages: [{ role: 'user', content: 'hi' }] })) if (chunk.type === 'text') text += chunk.text;
    expect(text).toBe('from ollama');
    expect(client.provider).toBe('ollama');
    expect(client.location).toBe(ollama.url);
    expect(client.model).toBe('qwen3:4b'); // Ollama's default model when none is configured
  });

  it('finds an OpenAI-compatible server on its port when Ollama does not answer', async () => {
    const targets: ProbeTargets = { ollama: CLOSED, openaiCompatible: [{ flavor: 'llamacpp', baseUrl: CLOSED }, { flavor: 'lmstudio', baseUrl: lmstudio.url }], timeoutMs: 300 };
    const [first, ...rest] = await detectSources(AUTO, targets);
    expect(first!.config).toMatchObject({ provider: 'openai_compatible', base_url: lmstudio.url, flavor: 'lmstudio' });
    expect(first!.label).toBe(`LM Studio at ${lmstudio.url}`);
    expect(first!.tried).toEqual([`Ollama at ${CLOSED}`, `llama.cpp server at ${CLOSED}`]);
    expect(rest.map((d) => d.config.provider)).toEqual(['embedded']); // the engine is always the last resort
  });

  it('falls back to the embedded engine when nothing answers (a silent port gives up after the timeout)', async () => {
    const silent = await silentServer();
    try {
      const targets: ProbeTargets = { ollama: silent.url, openaiCompatible: [{ flavor: 'jan', baseUrl: CLOSED }], timeoutMs: 150 };
      const client = createModelClient(AUTO, { probe: targets, dataDir: tempDir() });
      await client.ready!();
      expect(client.provider).toBe('embedded');
      await expect(client.info()).rejects.toThrow(
        new RegExp(`^no local model found: nothing answered at Ollama at ${silent.url}, Jan at ${CLOSED}, and the embedded engine's model qwen3-[48]b is not downloaded\\. Start Ollama or LM Studio .*\`rein models pull qwen3-[48]b\``),
      );
      await client.close!();
    } finally {
      await silent.close();
    }
  });

  it('the runtime says which source it chose, and the run names it', async () => {
    const previous = process.env.REIN_AUTO_PROBE;
    process.env.REIN_AUTO_PROBE = `ollama=${ollama.url},lmstudio=${CLOSED}/v1`;
    const home = tempDir();
    const runtime = new Runtime({ config: parseConfig('', { env: { REIN_HOME: home }, baseDir: home }), trace: false, extensions: [] });
    try {
      const notices: SystemEvent[] = [];
      runtime.onSystemEvent((event) => notices.push(event));
      ollama.script([{ content: 'ok' }]);
      const run = runtime.startRun('hello');
      await run.result;
      expect(run.events.events()[0]).toMatchObject({ type: 'run.started', provider: 'ollama', model: 'qwen3:4b' });
      expect(notices).toContainEqual(expect.objectContaining({ type: 'system.notice', level: 'info', source: 'model', message: `no model provider configured: using Ollama at ${ollama.url}` }));
    } finally {
      if (previous === undefined) delete process.env.REIN_AUTO_PROBE;
      else process.env.REIN_AUTO_PROBE = previous;
      await runtime.close();
    }
  });

  it('probes the usual local ports by default; REIN_AUTO_PROBE (tests) replaces them', () => {
    expect(probeTargets({})).toBe(DEFAULT_TARGETS);
    expect(DEFAULT_TARGETS).toEqual({
      ollama: 'http://127.0.0.1:11434',
      openaiCompatible: [
        { flavor: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1' },
        { flavor: 'llamacpp', baseUrl: 'http://127.0.0.1:8080/v1' },
        { flavor: 'jan', baseUrl: 'http://127.0.0.1:1337/v1' },
      ],
      timeoutMs: 300,
    });
    expect(probeTargets({ REIN_AUTO_PROBE: 'ollama=http://127.0.0.1:5/,jan=http://127.0.0.1:6/v1' })).toEqual({
      ollama: 'http://127.0.0.1:5',
      openaiCompatible: [{ flavor: 'jan', baseUrl: 'http://127.0.0.1:6/v1' }],
      timeoutMs: 300,
    });
  });
});
