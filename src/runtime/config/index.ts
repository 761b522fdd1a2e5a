export { loadConfig, parseConfig, normalizeHost, DEFAULT_CONFIG_FILE, type ReinConfig, type LoadConfigOptions } from './load.ts';
export { ConfigError, type ConfigIssue } from './errors.ts';
export { dataDir, APP_NAME } from './paths.ts';
export type { McpAuthConfig, McpOAuthConfig, McpMtlsConfig } from './sections/mcp.ts';
export { configSchema, type ConfigFile, type ModelConfig, type RuntimeLimits, type McpServerConfig, type AgentsConfig } from './schema.ts';
export { policyRuleSchema, type PolicyConfig, type PolicyRule, type PolicyRuleInput, type Predicate } from './sections/policy.ts';
export { saveModelChoice, writableConfigFile } from './write.ts';
export { scheduleSchema, parseInterval, cronProblem, type ScheduleConfig } from './sections/schedules.ts';
