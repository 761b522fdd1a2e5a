import type { ModelConfig } from '../config/index.ts';
import { OllamaProvider, type OllamaProviderOptions } from './ollama/provider.ts';
import type { ModelClient } from './types.ts';

export function createModelClient(config: ModelConfig, options: OllamaProviderOptions = {}): ModelClient {
  switch (config.provider) {
    case 'ollama':
      return new OllamaProvider(config, options);
  }
}
