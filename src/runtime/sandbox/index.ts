// The isolated-vm sandbox: runs agent-written and skill code with limits and only the capabilities given.
export { Sandbox, type SandboxLimits, type SandboxRequest, type SandboxResult, type Capability as SandboxCapability } from './sandbox.ts';
export { SandboxError, type SandboxFailure } from './errors.ts';
export { createSandbox, sandboxLimits } from './from-config.ts';
export { guardedCapabilities } from './capabilities.ts';
export { runJsTool } from './run-js-tool.ts';
