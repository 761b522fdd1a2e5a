// The one place that lists the runtime's capabilities, in the order their run hooks apply.
import type { ReinConfig } from './config/index.ts';
import type { RuntimeExtension } from './extension.ts';
import { MemoryExtension } from './memory/index.ts';

export function defaultExtensions(config: ReinConfig): RuntimeExtension[] {
  // Memory shapes the working context within the token budget: keep it last.
  return [new MemoryExtension(config)];
}
