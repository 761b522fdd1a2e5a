// The one place that lists the runtime's capabilities, in the order their run hooks apply.
import { AuditExtension } from './audit/index.ts';
import type { ReinConfig } from './config/index.ts';
import type { RuntimeExtension } from './extension.ts';
import { PolicyExtension } from './policy/index.ts';
import { McpService } from './mcp/index.ts';
import { SkillsExtension } from './skills/index.ts';
import { MemoryExtension } from './memory/index.ts';

export function defaultExtensions(config: ReinConfig): RuntimeExtension[] {
  const audit = new AuditExtension(); // first: its middleware wraps policy's, so refused calls are audited too
  // Memory shapes the working context within the token budget: keep it last.
  return [audit, new PolicyExtension({ audit }), new McpService(), new SkillsExtension(config), new MemoryExtension(config)];
}
