import type { ReinConfig } from '../config/index.ts';
import { Sandbox, type SandboxLimits, type SandboxOptions } from './sandbox.ts';

export function sandboxLimits(config: ReinConfig['sandbox']): SandboxLimits {
  return {
    memoryMb: config.memory_mb,
    cpuTimeoutMs: config.cpu_timeout_ms,
    wallTimeoutMs: config.wall_timeout_ms,
    maxOutputChars: config.max_output_chars,
    maxToolCalls: config.max_tool_calls,
  };
}

export function createSandbox(config: ReinConfig['sandbox'], options: Omit<SandboxOptions, 'workers' | 'workerIdleMs'> = {}): Sandbox {
  return new Sandbox(sandboxLimits(config), { ...options, workers: config.workers, workerIdleMs: config.worker_idle_ms });
}
