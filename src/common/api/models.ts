// Models: every configured source (provider) and its models, whether the default one is ready, downloads of models
// Rein runs itself (embedded) or asks a server to fetch (Ollama), and the zero-setup recommendation.

export interface ModelStatus {
  provider: string;
  model: string;
  /** The server URL, or where the embedded engine keeps its models. */
  host: string;
  reachable: boolean;
  present: boolean;
  error?: string;
  /** The model runs on another machine (a cloud or LAN provider): shown with a "cloud" badge. */
  cloud?: boolean;
  /** The server is loading the model into memory (the first answer will take a while). */
  loading?: boolean;
  /** The context window runs get, and where that number came from. */
  contextWindow?: number;
  contextSource?: ContextSource;
  /** Native tool calling (else Rein's JSON protocol). */
  tools?: boolean;
}

/** Where a context window came from: what the server/engine reports, rein.yaml's num_ctx, a table in Rein (Anthropic), or a default (with a notice). */
export type ContextSource = 'server' | 'configured' | 'table' | 'default';

export interface ModelSummary {
  name: string;
  sizeBytes?: number;
  parameterSize?: string;
  /** What a run passes as its model (`runs.start({ model })`, `rein run --model`): `<source>:<name>` or the bare name. */
  ref?: string;
  provider?: string;
  /** `model` (the default source) or the id under `providers:`. */
  source?: string;
  contextWindow?: number;
  /** Native tool calling; undefined when the provider does not say. */
  tools?: boolean;
  cloud?: boolean;
  /** Loaded in the server's memory now. */
  loaded?: boolean;
}

/** One configured source of models and what it offers. */
export interface ModelSource {
  /** `model` or the id under `providers:`. */
  id: string;
  provider: string;
  /** Server URL; absent for the embedded engine. */
  baseUrl?: string;
  cloud: boolean;
  reachable: boolean;
  error?: string;
  models: ModelSummary[];
}

/** The model Rein suggests downloading on a machine without a model server (embedded engine). */
export interface ModelRecommendation {
  /** What `models.pull` takes to download it (a recommended name, `hf:<org>/<repo>/<file>.gguf` or a URL). */
  ref: string;
  /** Human name, e.g. "Qwen3 4B (Q4_K_M)". */
  title: string;
  sizeBytes: number;
  licence: string;
  licenceUrl?: string;
  /** Where it will be stored: `<data dir>/models/<file>`. */
  target: string;
  /** Why this one: "your machine has 16 GB of memory: a 4B model at Q4". */
  reason: string;
  /** Already downloaded and verified. */
  present: boolean;
}

export interface PullProgress {
  name: string;
  /** The provider's status line, e.g. `downloading`, `verifying sha256 digest`, `success`. */
  status: string;
  completed?: number;
  total?: number;
  bytesPerSecond?: number;
  etaSeconds?: number;
}

export interface ModelsApi {
  /** Models of the default source. */
  list(): Promise<ModelSummary[]>;
  /** Every configured source with its models (the model picker, compare side by side). */
  sources(): Promise<ModelSource[]>;
  status(): Promise<ModelStatus>;
  /** The zero-setup suggestion for this machine (embedded engine). */
  recommended(): Promise<ModelRecommendation>;
  /** Resolves when the pull has finished; progress arrives as `model.pull.progress` events. Downloads resume where they stopped. */
  pull(name: string): Promise<void>;
  cancelPull(name: string): Promise<void>;
  /** Deletes a downloaded model (embedded) or asks the server to (Ollama). */
  remove(ref: string): Promise<void>;
}

/** Shown on first run when no model is installed. */
export const RECOMMENDED_MODEL = 'qwen3:4b';
