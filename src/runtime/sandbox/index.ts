// The isolated-vm sandbox: runs agent-written and skill code with limits and only the capabilities given, in
// worker processes (worker.ts) so that nothing a guest does can take the host down.
export { Sandbox, type SandboxLimits, type SandboxOptions, type SandboxRequest, type SandboxResult, type Capability as SandboxCapability } from './sandbox.ts';
export { SandboxError, type SandboxFailure } from './errors.ts';
export { createSandbox, sandboxLimits } from './from-config.ts';
export { guardedCapabilities } from './capabilities.ts';
export { runJsTool } from './run-js-tool.ts';
export { sandboxWorkerEntry } from './worker-entry.ts';
