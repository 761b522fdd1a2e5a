// The provider contract for openai_compatible, against scripted llama.cpp (current and 2025 builds), vLLM (the name
// in every delta, and an empty name first) and LM Studio servers; the flavor is recognised, not configured.
import { parseConfig } from '../../../../src/runtime/config/index.ts';
import type { ModelConfig } from '../../../../src/runtime/index.ts';
import { ScriptedOpenAi, type ScriptedOpenAiOptions } from '../../../support/scripted-openai.ts';
import { providerContract, type ContractFixture } from './scenarios.ts';

const base = parseConfig('', { env: {} }).model;

function fixture(options: ScriptedOpenAiOptions, downMessage: RegExp, flavor: ModelConfig['flavor'] = 'auto'): ContractFixture {
  const model = (url: string): ModelConfig => ({ ...base, provider: 'openai_compatible', name: '', base_url: url, flavor });
  return {
    async start() {
      const server = await ScriptedOpenAi.start(options);
      return {
        model: model(server.baseUrl),
        script: (replies) => server.script(replies),
        requests: () => server.chatRequests.length,
        close: () => server.close(),
      };
    },
    // Down, the server cannot say what it is: the configured flavor names it.
    down: (port) => model(`http://127.0.0.1:${port}/v1`),
    downMessage,
  };
}

providerContract('openai_compatible · llama.cpp', fixture({ kind: 'llamacpp' }, /llama\.cpp \(llama-server\) is not reachable at .* — start it, e.g. `llama-server -m model\.gguf/, 'llamacpp'));
providerContract('openai_compatible · llama.cpp (2025 build)', fixture({ kind: 'llamacpp', legacy: true }, /llama-server/, 'llamacpp'));
providerContract('openai_compatible · vLLM (name in every delta)', fixture({ kind: 'vllm' }, /vLLM is not reachable .* `vllm serve/, 'vllm'));
providerContract('openai_compatible · vLLM (empty name first)', fixture({ kind: 'vllm', names: 'empty-first' }, /vLLM is not reachable/, 'vllm'));
providerContract('openai_compatible · LM Studio', fixture({ kind: 'lmstudio' }, /LM Studio is not reachable at http:\/\/127\.0\.0\.1:\d+\/v1 — start its local server \(Developer → Start server, or `lms server start`\)/, 'lmstudio'));
