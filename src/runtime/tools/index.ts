export type { Capability, Tool, ToolContext, ToolOutcome, ToolProgress, ToolSource } from './types.ts';
export { ToolRegistry, ToolRegistrationError, sourceKeyOf } from './registry.ts';
export { ToolGuard, type GuardedCall, type ToolMiddleware, type InvokeContext, type InvokeResult } from './guard.ts';
export { resolveCall, type ResolvedCall } from './repair.ts';
export { validateArgs } from './validate.ts';
export { capOutput, renderOutput } from './output.ts';
