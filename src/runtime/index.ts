// The runtime's public surface for the shells (CLI, Electron main, `rein serve`).
export { Runtime, type RuntimeOptions, type RunHandle } from './runtime.ts';
export type { RuntimeExtension, ExtensionHost, Asker } from './extension.ts';
export { defaultExtensions } from './extensions.ts';
export { createRuntimeApi, modelStatus, sameModel } from './api-adapter.ts';
export { loadConfig, parseConfig, ConfigError, dataDir, type ReinConfig } from './config/index.ts';
export { ReinError, errorMessage as errorMessageOf } from './base/index.ts';
export type { RunResult } from './loop/index.ts';
export type { Tool, Capability, ToolSource } from './tools/index.ts';
export type { ModelClient } from './model/index.ts';
export { ModelNotFoundError, ModelUnreachableError, ModelResponseError } from './model/index.ts';
export {
  AgentsExtension,
  ReinMcpHarness,
  serveStdio,
  serveHttp,
  loadOrCreateToken,
  McpServeError,
  type HttpServing,
  type SkillProvider,
} from './agents/index.ts';
