// Config: what the runtime runs with, and the settings the UI may change (model and context size).

/** Capabilities a build/config may or may not provide; the UI shows an empty state for absent ones. */
export const CAPABILITIES = ['approvals', 'skills', 'memory', 'mcp', 'schedules', 'knowledge'] as const;
export type CapabilityName = (typeof CAPABILITIES)[number];

export interface ConfigView {
  /** The rein.yaml in use, if any. */
  file?: string;
  /** Where a change from the UI is saved. */
  writableFile: string;
  dataDir: string;
  model: { provider: string; name: string; host: string; numCtx?: number; temperature: number };
  runtime: { maxSteps: number; stepTimeoutS: number; toolTimeoutS: number };
  capabilities: Record<CapabilityName, boolean>;
  /**
   * The working folder, when it brings a rein.yaml or skills/. Untrusted: they are NOT used (no MCP servers started,
   * no policy from them, no skills); the user trusts the folder with `rein trust <dir>` (a dialog in the app later).
   */
  project?: { dir: string; found: string[]; trusted: boolean };
}

export interface ModelChoice {
  name: string;
  /** Context window; omitted = the model's own length (capped). */
  numCtx?: number;
}

export interface ConfigApi {
  get(): Promise<ConfigView>;
  /** Saves model.name / model.num_ctx to the config file and uses them for the next runs. */
  setModel(choice: ModelChoice): Promise<ConfigView>;
}
