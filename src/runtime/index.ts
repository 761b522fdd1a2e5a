// The runtime's public surface for the shells (CLI, Electron main, `rein serve`).
export { Runtime, type RuntimeOptions, type RunHandle } from './runtime.ts';
export type { RunLauncher, StartRunOptions, RunAsker } from './launcher/index.ts';
export type { RuntimeExtension, ExtensionHost, Asker, ResumePoint } from './extension.ts';
export { defaultExtensions } from './extensions.ts';
export {
  createRuntimeApi,
  type ApiRuntime,
  runsSection,
  callApi,
  modelStatus,
  sameModel,
  modelsSection,
  recommendation,
  isEmbeddedRef,
  CapabilityUnavailableError,
  ApiArgumentError,
  ApiNotFoundError,
  type RuntimeServices,
  knowledgeService,
  memoryNoteOf,
  FeedbackStore,
  recordFeedback,
} from './api/index.ts';
export { loadConfig, parseConfig, ConfigError, ModelEgressError, dataDir, otlpUrls, parseStoreLocation, redactUrl, resolveModelRef, isRemoteModel, saveModelChoice, writableConfigFile, type ReinConfig, type ModelConfig } from './config/index.ts';
export { exportArchive, importArchive, summarizeStores, differences, ArchiveError, SCHEDULE_KINDS, type ArchiveSummary } from './archive/index.ts';
export { TrustStore, UntrustedFolderError, type ProjectFolder, type TrustedFolder } from './config/index.ts';
export { Scheduler, SlotRunner, openScheduleLedger, apiRunPort, skillProblemOf, schedulesService, slotView, startHostScheduler, type Clock, type ClaimedSlot, type HostScheduler, type RunPort, type ScheduleLedger, type SlotRecord } from './schedules/index.ts';
export { ReinError, errorMessage as errorMessageOf } from './base/index.ts';
export type { RunResult, RunState } from './loop/index.ts';
export { UNKNOWN_OUTCOME_MESSAGE } from './loop/index.ts';
export type { Tool, Capability, ToolSource } from './tools/index.ts';
export type { ModelClient, ModelInfo, PullProgress } from './model/index.ts';
export { ModelNotFoundError, ModelUnreachableError, ModelResponseError, formatBytes, formatEta } from './model/index.ts';
export { PolicyExtension, openApprovalDesk, ApprovalNotFoundError, EgressBlockedError, type ApprovalDesk, type ApprovalRecord, type Grant } from './policy/index.ts';
export { AuditExtension, describeAuditKey, openAuditLog, openAuditStore, type AuditLog, type AuditStore, type AuditEntry, type AuditSink } from './audit/index.ts';
export { McpService, importMcpServers, McpImportError, type McpServerStatus, type McpToolInfo, type ImportResult } from './mcp/index.ts';
export { AuthStore, MTLS_KEYCHAIN_SERVICE, loopbackAuthorizer, openInBrowser, type Authorizer } from './mcp/index.ts';
export { describeBackend, describeLocation, openKeychain, type Keychain, type SecretBackend, type SecretLocation } from './keychain/index.ts';
export { SECRETS_SERVICE } from './config/index.ts';
export {
  buildImage,
  checkImage,
  defaultImageName,
  findEngine,
  findOrphans,
  ContainerEngineError,
  ContainerImageError,
  PARENT_LABEL,
  type ContainerEngine,
  type EngineChoice,
  type ImageCheck,
} from './containers/index.ts';
export type { McpServerConfig } from './config/index.ts';
export { SkillLibrary, SkillsExtension, SkillNotFoundError, type SkillSummary, type Verdict } from './skills/index.ts';
export { MemoryExtension, openMemoryStore, openNoteDesk, createEmbedder, MemoryNotFoundError, MemoryStoreError, NoteRejectedError } from './memory/index.ts';
export type { MemoryStore, SessionSummary, Note, Embedder } from './memory/index.ts';
export { KnowledgeExtension, KnowledgeBase, AttachmentUploads, openKnowledgeBase, openKnowledgeStore, KnowledgeNotFoundError, KnowledgeAccessError, type IngestProgress, type Passage } from './knowledge/index.ts';
export {
  AgentsExtension,
  scopeFromEnv,
  mcpServing,
  loadOrCreateToken,
  McpServeError,
  type ReinMcpHarness,
  type HttpServing,
  type SkillProvider,
  type ServedRuns,
  type ServedRunRequest,
} from './agents/index.ts';
export { TelemetryExtension, readTelemetryStatus, type TelemetryProcessStatus } from './telemetry/index.ts';
