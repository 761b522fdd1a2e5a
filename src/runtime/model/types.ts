import type { ContextSource, Usage } from '../../common/index.ts';

/** A JSON Schema object describing a tool's arguments. */
export type JsonSchema = Record<string, unknown>;

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface ModelToolCall {
  id: string;
  name: string;
  /** As the model produced it: usually an object, sometimes a JSON string or garbage. */
  arguments: unknown;
}

/** What a provider needs echoed back verbatim with its own answer (e.g. Anthropic's signed thinking blocks in a tool cycle). */
export interface ProviderReplay {
  provider: string;
  content: unknown[];
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ModelToolCall[]; replay?: ProviderReplay }
  | { role: 'tool'; content: string; toolName: string; callId: string };

export type ModelChunk =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool_call'; call: ModelToolCall }
  | { type: 'done'; usage: Usage; doneReason?: string; replay?: ProviderReplay };

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: Error;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** A short reply is expected (e.g. a summary): the room kept for it shrinks to this, and generation stops there. */
  maxReplyTokens?: number;
  /** `required`: a tool call is wanted (best effort: a reply without one is asked again once). Default `auto`. */
  toolChoice?: 'auto' | 'required';
  signal?: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
}

export interface ModelInfo {
  name: string;
  /** The context window the provider will use (num_ctx for Ollama). */
  contextWindow: number;
  /** Where contextWindow came from: the server, rein.yaml's num_ctx, a table in Rein, or a default (the runtime tells the user once). */
  contextSource: ContextSource;
  /** The model's own maximum context length, when the provider reports it. */
  maxContextLength?: number;
  capabilities: string[];
  supportsTools: boolean;
  /** The server software, when the provider knows it (e.g. "LM Studio", "vLLM"). */
  server?: string;
}

export interface ModelListing {
  name: string;
  sizeBytes?: number;
  parameterSize?: string;
  /** What the listing itself says, when it says it (LM Studio, vLLM, llama.cpp do; Ollama's does not). */
  contextWindow?: number;
  tools?: boolean;
  loaded?: boolean;
}

export interface PullProgress {
  status: string;
  completed?: number;
  total?: number;
  bytesPerSecond?: number;
  etaSeconds?: number;
}

/** What the harness needs from a model. It never knows which provider sits behind it. */
export interface ModelClient {
  readonly provider: string;
  readonly model: string;
  /** Where the model lives (a URL for server providers). */
  readonly location: string;
  info(signal?: AbortSignal): Promise<ModelInfo>;
  chat(request: ChatRequest): AsyncIterable<ModelChunk>;
  listModels(signal?: AbortSignal): Promise<ModelListing[]>;
  embed?(texts: string[], signal?: AbortSignal): Promise<number[][]>;
  /** Tokens a prompt takes for this model, calibrated against what the server counted (when the provider can). */
  estimateTokens?(messages: readonly ChatMessage[], tools?: readonly ToolSpec[]): number;
  /** How the user makes a model available here, e.g. "run `ollama pull qwen3:4b`" (for "model not found" advice). */
  howToAdd?(name: string): string;
  /** Downloads a model (providers with a local model store), reporting progress until it is ready. */
  pull?(name: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void>;
  /** Deletes a downloaded model (the embedded engine's file, or asks Ollama to). */
  remove?(name: string): Promise<void>;
  /** Resolves once the client knows its provider and model (auto: after probing the local sources). */
  ready?(): Promise<void>;
  /** Ends what the client started (the embedded engine's worker process). */
  close?(): Promise<void>;
  /** Whether the server holds the model in memory now (Ollama loads it on the first request, in seconds). */
  isLoaded?(signal?: AbortSignal): Promise<boolean>;
}
