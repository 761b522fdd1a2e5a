// Models: what the provider has, whether the configured one is ready, and pulling new ones.

export interface ModelStatus {
  provider: string;
  model: string;
  host: string;
  reachable: boolean;
  present: boolean;
  error?: string;
}

export interface ModelSummary {
  name: string;
  sizeBytes?: number;
  parameterSize?: string;
}

export interface PullProgress {
  name: string;
  /** The provider's status line, e.g. `downloading`, `verifying sha256 digest`, `success`. */
  status: string;
  completed?: number;
  total?: number;
}

export interface ModelsApi {
  list(): Promise<ModelSummary[]>;
  status(): Promise<ModelStatus>;
  /** Resolves when the pull has finished; progress arrives as `model.pull.progress` events. */
  pull(name: string): Promise<void>;
  cancelPull(name: string): Promise<void>;
}

/** Shown on first run when no model is installed. */
export const RECOMMENDED_MODEL = 'qwen3:4b';
