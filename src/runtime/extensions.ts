// The one place that lists the runtime's capabilities, in the order their run hooks apply.
import type { ReinConfig } from './config/index.ts';
import type { RuntimeExtension } from './extension.ts';
import { SkillsExtension } from './skills/index.ts';

export function defaultExtensions(config: ReinConfig): RuntimeExtension[] {
  return [new SkillsExtension(config)];
}
