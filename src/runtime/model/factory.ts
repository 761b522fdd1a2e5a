import { ReinError } from '../base/index.ts';
import type { ModelConfig } from '../config/index.ts';
import { AnthropicProvider } from './anthropic/provider.ts';
import { AutoModelClient } from './auto/client.ts';
import { probeTargets, type Detection, type ProbeTargets } from './auto/detect.ts';
import { EmbeddedProvider, type EmbeddedProviderOptions } from './embedded/provider.ts';
import { OllamaProvider, type OllamaProviderOptions } from './ollama/provider.ts';
import { OpenAiCompatibleProvider } from './openai/provider.ts';
import type { ModelClient } from './types.ts';

export interface ModelClientOptions extends OllamaProviderOptions, EmbeddedProviderOptions {
  /** provider auto: where to look for local servers (default: their usual ports). */
  probe?: ProbeTargets;
  /** provider auto: told which source was chosen. */
  onSelected?: (detection: Detection) => void;
}

export function createModelClient(config: ModelConfig, options: ModelClientOptions = {}): ModelClient {
  switch (config.provider) {
    case 'ollama':
      return new OllamaProvider(config, options);
    case 'openai_compatible':
      return new OpenAiCompatibleProvider(config, options);
    case 'anthropic':
      return new AnthropicProvider(config, options);
    case 'embedded':
      return new EmbeddedProvider(config, options);
    case 'auto': {
      // The first local source that answers: Ollama, an OpenAI-compatible server on its usual port, the embedded engine.
      const { onSelected, probe, ...rest } = options;
      return new AutoModelClient(config, {
        create: (chosen) => createModelClient(chosen, rest),
        targets: probe ?? probeTargets(options.env),
        ...(onSelected ? { onSelected } : {}),
      });
    }
    default:
      throw new ReinError(`the ${String(config.provider)} provider is not available in this build`);
  }
}
