export { loadConfig, parseConfig, DEFAULT_CONFIG_FILE, type ReinConfig, type LoadConfigOptions, type StateConfig } from './load.ts';
export {
  normalizeHost,
  resolveModelSource,
  DEFAULT_OLLAMA_URL,
  DEFAULT_OLLAMA_MODEL,
  DEFAULT_ANTHROPIC_URL,
  DEFAULT_ANTHROPIC_MODEL,
  FLAVOR_BASE_URLS,
  SECRETS_SERVICE,
  toModelSection,
  type ModelConfig,
  type ModelProvider,
} from './model-config.ts';
export { resolveModelRef } from './model-ref.ts';
export { ModelEgressError, isLoopbackHost, isRemoteModel, modelHost, verifyModelEgress, type EgressPolicy } from './model-egress.ts';
export { machinePolicyFile, readMachinePolicy, tightenPolicy, type MachinePolicy } from './machine-policy.ts';
export { PROVIDER_KINDS, FLAVORS, type ProviderKind, type Flavor } from './sections/model.ts';
export { ConfigError, type ConfigIssue } from './errors.ts';
export { dataDir, APP_NAME } from './paths.ts';
export type { McpAuthConfig, McpOAuthConfig, McpMtlsConfig } from './sections/mcp.ts';
export { configSchema, type ConfigFile, type RuntimeLimits, type McpServerConfig, type AgentsConfig } from './schema.ts';
export { policyRuleSchema, MODEL_EGRESS, type ModelEgress, type PolicyConfig, type PolicyRule, type PolicyRuleInput, type Predicate } from './sections/policy.ts';
export { saveModelChoice, writableConfigFile } from './write.ts';
export { saveSettings, settingValues, policyRuleViews, policyRuleLabel, RESTART_KEYS, type SettingsSave } from './settings.ts';
export { editMcpServer, type McpServerEdit } from './mcp-write.ts';
export { TrustStore, UntrustedFolderError, projectFolder, type ProjectFolder, type TrustedFolder } from './trust.ts';
export { scheduleSchema, parseInterval, cronProblem, type ScheduleConfig } from './sections/schedules.ts';
export { knowledgeSchema, type KnowledgeConfig, type KnowledgeSourceConfig } from './sections/knowledge.ts';
export { telemetrySchema, otlpUrls, type TelemetryConfig } from './sections/telemetry.ts';
export { endpointEgressProblem, type EndpointPolicy } from './egress.ts';
export { parseStoreLocation, redactUrl, urlPassword, databaseIdentity, literalPasswordProblem, isPostgresUrl, isQdrantUrl, DatabaseUrlError, type StoreLocation } from './store-location.ts';
