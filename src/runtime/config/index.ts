export { loadConfig, parseConfig, normalizeHost, DEFAULT_CONFIG_FILE, type ReinConfig, type LoadConfigOptions } from './load.ts';
export { ConfigError, type ConfigIssue } from './errors.ts';
export { dataDir, APP_NAME } from './paths.ts';
export { configSchema, type ConfigFile, type ModelConfig, type RuntimeLimits, type McpServerConfig, type AgentsConfig } from './schema.ts';
