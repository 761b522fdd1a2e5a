export { runAgent, type RunDeps, type RunInput, type RunResult, type RunState } from './run-loop.ts';
export { UNKNOWN_OUTCOME_MESSAGE } from './resume.ts';
export { LoopDetector, stableStringify, reflectionMessage, type LoopVerdict } from './loop-detector.ts';
export { toolBatches } from './tool-batches.ts';
export { DEFAULT_SYSTEM_PROMPT, goalWithContext, addGoalContext, isGoalMessage, requestOf } from './prompts.ts';
export type { RunHooks, RunContext, StepContext, PinnedText } from './hooks.ts';
export { contextNotices } from './context-notice.ts';
