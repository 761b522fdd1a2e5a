// The runtime's public surface for the shells (CLI, Electron main, `rein serve`).
export { Runtime, type RuntimeOptions, type RunHandle } from './runtime.ts';
export type { RuntimeExtension, ExtensionHost, Asker, ResumePoint } from './extension.ts';
export { defaultExtensions } from './extensions.ts';
export { createRuntimeApi, modelStatus, sameModel } from './api-adapter.ts';
export { loadConfig, parseConfig, ConfigError, dataDir, type ReinConfig } from './config/index.ts';
export { ReinError, errorMessage as errorMessageOf } from './base/index.ts';
export type { RunResult, RunState } from './loop/index.ts';
export { UNKNOWN_OUTCOME_MESSAGE } from './loop/index.ts';
export type { Tool, Capability, ToolSource } from './tools/index.ts';
export type { ModelClient } from './model/index.ts';
export { ModelNotFoundError, ModelUnreachableError, ModelResponseError } from './model/index.ts';
export { MemoryExtension, openMemoryStore, createEmbedder, MemoryNotFoundError, MemoryStoreError } from './memory/index.ts';
export type { MemoryStore, SessionSummary, Note, Embedder } from './memory/index.ts';
