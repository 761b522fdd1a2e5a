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
  /** Capabilities that did not start, grouped by cause; `refusesRuns`: an essential one (audit, policy) is among them. */
  startProblems: StartProblem[];
}

export interface StartProblem {
  capabilities: string[];
  message: string;
  refusesRuns: boolean;
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
  /** The settings the Settings panel edits, as the runtime runs with them now. */
  settings(): Promise<SettingsView>;
  /**
   * Applies changes to the config file (comments and every other key kept), validated with the config schema first:
   * an invalid change writes nothing and comes back as issues per setting. Applied live where the runtime can.
   */
  updateSettings(changes: SettingChange[]): Promise<SettingsSaveResult>;
}

export type PolicyEffect = 'allow' | 'ask' | 'deny';
export type ToolRisk = 'read' | 'write' | 'network' | 'execute';
export type ModelEgressChoice = 'local_only' | 'allow_list' | 'any';

/** The settings by their key in rein.yaml; `null`: not set (the default applies). */
export interface SettingValues {
  /** `auto` when rein.yaml names none. */
  'model.provider': string;
  'model.name': string;
  'model.base_url': string;
  /**
   * Where the model's API key comes from, never the key: as rein.yaml names it (`keychain:NAME`, `${env:NAME}`), or
   * `${env:ANTHROPIC_API_KEY}` when the Anthropic provider reads it by itself; null: none.
   */
  'model.api_key': string | null;
  'model.temperature': number;
  'model.num_ctx': number | null;
  'runtime.system_prompt': string | null;
  'runtime.max_steps': number;
  'runtime.step_timeout_s': number;
  'runtime.tool_timeout_s': number;
  'policy.default.read': PolicyEffect;
  'policy.default.write': PolicyEffect;
  'policy.default.network': PolicyEffect;
  'policy.default.execute': PolicyEffect;
  'policy.notes': 'allow' | 'ask';
  'policy.approval_timeout_s': number;
  'policy.budgets.max_tokens': number | null;
  'policy.budgets.max_tool_calls': number | null;
  'policy.budgets.max_wall_time_s': number | null;
  'policy.offline': boolean;
  'policy.allow_hosts': string[];
  'policy.model_egress': ModelEgressChoice;
  'policy.allowed_model_hosts': string[];
  'memory.embed_model': string;
  'memory.recall_limit': number;
  'knowledge.enabled': boolean;
}
export type SettingKey = keyof SettingValues;

/** The keys the Settings panel may write (anything else is refused). */
export const SETTING_KEYS = [
  'model.provider', 'model.name', 'model.base_url', 'model.api_key', 'model.temperature', 'model.num_ctx',
  'runtime.system_prompt', 'runtime.max_steps', 'runtime.step_timeout_s', 'runtime.tool_timeout_s',
  'policy.default.read', 'policy.default.write', 'policy.default.network', 'policy.default.execute', 'policy.notes', 'policy.approval_timeout_s',
  'policy.budgets.max_tokens', 'policy.budgets.max_tool_calls', 'policy.budgets.max_wall_time_s',
  'policy.offline', 'policy.allow_hosts', 'policy.model_egress', 'policy.allowed_model_hosts',
  'memory.embed_model', 'memory.recall_limit', 'knowledge.enabled',
] as const satisfies readonly SettingKey[];

/** A predicate on one argument, as rein.yaml writes it (`{ gt: 100 }`, `{ glob: "~/Documents/**" }`). */
export type RulePredicate = Record<string, unknown>;

/** A policy rule as rein.yaml writes it. */
export interface PolicyRuleSpec {
  /** Shown wherever the rule is named (approvals, Insights) instead of `policy.rules[2]`. */
  name?: string;
  effect: PolicyEffect;
  /** Tool name glob(s). */
  tool: string | string[];
  capability?: ToolRisk | ToolRisk[];
  /** `args.<path>` → predicate; all must hold. */
  when?: Record<string, RulePredicate>;
  reason?: string;
}

export interface PolicyRuleView extends PolicyRuleSpec {
  index: number;
  /** How approvals and the audit log name it: its name, else `policy.rules[<index>]`. */
  label: string;
}

export type SettingChange =
  | { key: SettingKey; value: SettingValues[SettingKey] | null }
  /** A key typed in Settings: stored in the OS keychain (else a file only the user can read), rein.yaml names it. */
  | { secret: 'model.api_key'; value: string }
  | { rule: 'add'; value: PolicyRuleSpec }
  | { rule: 'set'; index: number; value: PolicyRuleSpec }
  | { rule: 'remove'; index: number }
  | { rule: 'move'; index: number; to: number };

export interface SettingsView {
  /** The rein.yaml in use, if any. */
  file?: string;
  /** Where changes are saved. */
  writableFile: string;
  dataDir: string;
  values: SettingValues;
  rules: PolicyRuleView[];
  /** Other model sources (`providers:`), for the default-model choice. */
  providers: { id: string; provider: string; baseUrl: string; name: string }[];
  /** Knowledge folders and files from rein.yaml (manage them in the Knowledge panel). */
  knowledgePaths: string[];
  /** Keys a machine policy file decides; shown read-only. */
  machinePolicy?: { file: string; forced: string[] };
  /** Saved settings that apply only after Rein restarts (e.g. the embedding model). */
  restartNeeded: string[];
}

/** One problem with a change: `key` is the setting (or `policy.rules.<i>[.field]`) it belongs to. */
export interface SettingIssue {
  key: string;
  message: string;
}

export type SettingsSaveResult = { ok: true; settings: SettingsView } | { ok: false; issues: SettingIssue[] };
