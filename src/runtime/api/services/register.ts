// Maps the runtime's started capabilities to the API sections they serve; absent ones stay `unavailable`.
import type { ReinConfig } from '../../config/index.ts';
import type { RuntimeExtension } from '../../extension.ts';
import { McpService } from '../../mcp/index.ts';
import { KnowledgeExtension } from '../../knowledge/index.ts';
import { MemoryExtension } from '../../memory/index.ts';
import { PolicyExtension } from '../../policy/index.ts';
import { SkillsExtension } from '../../skills/index.ts';
import type { RuntimeServices } from '../services.ts';
import { approvalsService } from './approvals.ts';
import { mcpService } from './mcp.ts';
import { knowledgeService } from './knowledge.ts';
import { memoryService } from './memory.ts';
import { skillsService } from './skills.ts';

export interface ServiceContext {
  config: () => ReinConfig;
  /** A run of this runtime is still going (so its session is not interrupted). */
  isLive: (runId: string) => boolean;
}

export function registerServices(services: RuntimeServices, started: Iterable<RuntimeExtension>, { config, isLive }: ServiceContext): void {
  for (const extension of started) {
    if (extension instanceof PolicyExtension) services.approvals ??= approvalsService(extension.desk);
    if (extension instanceof SkillsExtension) services.skills ??= skillsService(extension.library);
    if (extension instanceof McpService) services.mcp ??= mcpService(extension, config);
    if (extension instanceof MemoryExtension) services.memory ??= memoryService(extension, isLive);
    if (extension instanceof KnowledgeExtension) services.knowledge ??= knowledgeService(extension);
  }
}
