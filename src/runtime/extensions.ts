// The one place that lists the runtime's capabilities, in the order their run hooks apply.
import type { ReinConfig } from './config/index.ts';
import type { RuntimeExtension } from './extension.ts';
import { McpService } from './mcp/index.ts';

export function defaultExtensions(_config: ReinConfig): RuntimeExtension[] {
  return [new McpService()];
}
