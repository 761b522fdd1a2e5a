// The one place that lists the runtime's capabilities, in the order their run hooks apply.
import { AgentsExtension } from './agents/index.ts';
import type { ReinConfig } from './config/index.ts';
import type { RuntimeExtension } from './extension.ts';

export function defaultExtensions(config: ReinConfig): RuntimeExtension[] {
  return [new AgentsExtension(config)];
}
