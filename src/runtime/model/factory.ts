import { ReinError } from '../base/index.ts';
import { DEFAULT_OLLAMA_MODEL, DEFAULT_OLLAMA_URL, type ModelConfig } from '../config/index.ts';
import { AnthropicProvider } from './anthropic/provider.ts';
import { OllamaProvider, type OllamaProviderOptions } from './ollama/provider.ts';
import { OpenAiCompatibleProvider } from './openai/provider.ts';
import type { ModelClient } from './types.ts';

export type ModelClientOptions = OllamaProviderOptions;

export function createModelClient(config: ModelConfig, options: ModelClientOptions = {}): ModelClient {
  switch (config.provider) {
    case 'ollama':
      return new OllamaProvider(config, options);
    case 'openai_compatible':
      return new OpenAiCompatibleProvider(config, options);
    case 'anthropic':
      return new AnthropicProvider(config, options);
    case 'auto':
      // Until the local sources are probed: Ollama on its usual port.
      return new OllamaProvider({ ...config, provider: 'ollama', base_url: config.base_url || DEFAULT_OLLAMA_URL, name: config.name || DEFAULT_OLLAMA_MODEL }, options);
    default:
      throw new ReinError(`the ${config.provider} provider is not available in this build`);
  }
}
