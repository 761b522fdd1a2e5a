// Messages between the host and the embedded engine's worker process (node-llama-cpp runs only there), over Node's
// IPC channel as JSON. Every request names the model it needs, so a restarted worker loads it again by itself.

/** How a model is loaded: the GGUF file and the context the engine creates for it. */
export interface LoadSpec {
  path: string;
  /** Context window; unset: the model's own length, capped (see worker.ts), fitted to free memory. */
  contextSize?: number;
  threads: number;
}

/** node-llama-cpp's ChatHistoryItem, as plain JSON. */
export type HistoryItem =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: (string | { type: 'functionCall'; name: string; params: unknown; result: unknown })[] };

export interface EngineModelInfo {
  /** The context the engine created. */
  contextSize: number;
  /** The model's own (training) context length. */
  trainContextSize: number;
  /** The chat wrapper (from the model's template) calls functions in the model's own syntax. */
  nativeTools: boolean;
  wrapper: string;
}

export interface ChatRequestMessage {
  type: 'chat';
  id: number;
  model: LoadSpec;
  history: HistoryItem[];
  /** Native function calling: name → description and parameter schema (already GBNF-safe). */
  functions?: Record<string, { description: string; params: Record<string, unknown> }>;
  /** Constrained output (the JSON tool protocol): the reply must match this schema. */
  jsonSchema?: Record<string, unknown>;
  maxTokens?: number;
  temperature: number;
  /** false: no reasoning (thought budget 0). */
  think?: boolean;
}

export type ToEngine =
  | { type: 'load'; id: number; model: LoadSpec }
  | ChatRequestMessage
  | { type: 'embed'; id: number; model: LoadSpec; texts: string[] }
  | { type: 'abort'; id: number }
  | { type: 'unload'; path: string };

export type EngineErrorKind = 'not-found' | 'overflow' | 'aborted' | 'failed';

export type FromEngine =
  | { type: 'ready'; gpu: string | false }
  | { type: 'loaded'; id: number; info: EngineModelInfo }
  | { type: 'text'; id: number; kind: 'text' | 'thinking'; text: string }
  | { type: 'call'; id: number; name: string; params: unknown }
  | { type: 'done'; id: number; promptTokens: number; completionTokens: number; stopReason: string; info: EngineModelInfo }
  | { type: 'vectors'; id: number; vectors: number[][] }
  | { type: 'error'; id: number; kind: EngineErrorKind; message: string };
