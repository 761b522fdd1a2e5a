// models.sources and models.status across providers: Ollama as `model:` and an LM Studio server under `providers:`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, createRuntimeApi } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { ScriptedOpenAi } from '../../support/scripted-openai.ts';
import { testConfig } from '../../support/fixtures.ts';

describe('models.sources and models.status', () => {
  let ollama: ScriptedOllama;
  let lmstudio: ScriptedOpenAi;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    lmstudio = await ScriptedOpenAi.start({ kind: 'lmstudio' });
  });
  afterAll(async () => {
    await ollama.close();
    await lmstudio.close();
  });

  function runtimeWith(yaml: string): Runtime {
    return new Runtime({ config: testConfig(yaml, ollama.url), trace: false, extensions: [] });
  }

  it('lists every source with its models: refs, context windows, tool support, cloud', async () => {
    const runtime = runtimeWith(`providers:\n  lmstudio: { provider: openai_compatible, base_url: ${lmstudio.baseUrl}, name: qwen/qwen3-4b }\n`);
    try {
      const sources = await createRuntimeApi(runtime).models.sources();
      expect(sources.map((s) => [s.id, s.provider, s.reachable, s.cloud])).toEqual([
        ['model', 'ollama', true, false],
        ['lmstudio', 'openai_compatible', true, false],
      ]);
      expect(sources[0]!.models[0]).toMatchObject({ name: 'qwen3:4b', ref: 'qwen3:4b', contextWindow: 32768, tools: true });
      const lm = sources[1]!.models.find((m) => m.name === 'qwen/qwen3-4b');
      expect(lm).toMatchObject({ ref: 'lmstudio:qwen/qwen3-4b', provider: 'openai_compatible', source: 'lmstudio', contextWindow: 8192, tools: true, cloud: false });
    } finally {
      await runtime.close();
    }
  });

  it('a source that is down is listed as unreachable, with the reason', async () => {
    const runtime = runtimeWith('providers:\n  vllm: { provider: openai_compatible, flavor: vllm, base_url: http://127.0.0.1:9/v1 }\n');
    try {
      const sources = await createRuntimeApi(runtime).models.sources();
      expect(sources[1]).toMatchObject({ id: 'vllm', reachable: false, models: [], error: expect.stringMatching(/vLLM is not reachable at http:\/\/127\.0\.0\.1:9\/v1/) });
    } finally {
      await runtime.close();
    }
  });

  it('status of an openai_compatible model: context window and where it came from, tools, not cloud', async () => {
    const config = testConfig('', '');
    const runtime = new Runtime({ config: { ...config, model: { ...config.model, provider: 'openai_compatible', base_url: lmstudio.baseUrl, name: 'qwen/qwen3-4b' } }, trace: false, extensions: [] });
    try {
      const status = await createRuntimeApi(runtime).models.status();
      expect(status).toMatchObject({ provider: 'openai_compatible', model: 'qwen/qwen3-4b', reachable: true, present: true, contextWindow: 8192, contextSource: 'server', tools: true, cloud: false });
    } finally {
      await runtime.close();
    }
  });
});
