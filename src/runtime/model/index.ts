export type {
  ChatMessage,
  ChatRequest,
  JsonSchema,
  ModelChunk,
  ModelClient,
  ModelInfo,
  ModelListing,
  ModelToolCall,
  ProviderReplay,
  PullProgress,
  RetryNotice,
  ToolSpec,
} from './types.ts';
export { ContextOverflowError, ModelNotFoundError, ModelResponseError, ModelUnreachableError, isTransient } from './errors.ts';
export { estimateTokens, estimateMessageTokens, fitToContext } from './context-fit.ts';
export { withRetry, DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
export { OllamaProvider, AUTO_NUM_CTX_CAP, type OllamaProviderOptions } from './ollama/provider.ts';
export { OpenAiCompatibleProvider, DEFAULT_CONTEXT_WINDOW, type OpenAiProviderOptions } from './openai/provider.ts';
export { AnthropicProvider, DEFAULT_MAX_TOKENS } from './anthropic/provider.ts';
export { createModelClient, type ModelClientOptions } from './factory.ts';
export { EmbeddedProvider, type EmbeddedProviderOptions } from './embedded/provider.ts';
export { CATALOG, CATALOG_ENV, catalogEntries, catalogModel, recommendedModel, type CatalogModel } from './embedded/catalog.ts';
export { ModelStore, DOWNLOAD_BASE_ENV, modelDownloadHosts, type ResolvedModel, type StoredModel } from './embedded/store.ts';
export { ModelDownloadError, formatBytes, formatEta } from './embedded/download.ts';
export { defaultThreads } from './embedded/threads.ts';
export { AutoModelClient } from './auto/client.ts';
export { detectSources, probeTargets, localProbeUrls, DEFAULT_TARGETS, PROBE_TIMEOUT_MS, type Detection, type ProbeTargets } from './auto/detect.ts';
