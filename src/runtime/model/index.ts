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
export { createModelClient } from './factory.ts';
export { AnthropicProvider, DEFAULT_MAX_TOKENS } from './anthropic/provider.ts';
