// The runtime seen through the shared API contract (what Electron IPC and `rein serve` expose).
export { createRuntimeApi } from './create-api.ts';
export { runsSection } from './runs.ts';
export { callApi } from './dispatch.ts';
export { CapabilityUnavailableError, ApiArgumentError, ApiNotFoundError } from './errors.ts';
export type { RuntimeServices } from './services.ts';
export type { ApiRuntime } from './api-runtime.ts';
export { registerServices } from './services/register.ts';
export { knowledgeService } from './services/knowledge.ts';
export { noteOf as memoryNoteOf } from './services/memory.ts';
export { modelStatus, sameModel, modelsSection, recommendation, isEmbeddedRef } from './models.ts';
export { FeedbackStore, recordFeedback } from './feedback-store.ts';
