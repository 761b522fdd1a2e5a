// Writes a skill back in its own format, keeping what Rein does not manage (SKILL.md's other keys).
import YAML from 'yaml';
import { splitFrontMatter } from './parse.ts';
import type { Skill, SkillDocument } from './types.ts';

export function documentOf(skill: SkillDocument): SkillDocument {
  const { name, description, triggers, instructions, required_mcp_tools, allowed_tools, approval_threshold_usd, success_count, failure_count, code, test, approved } = skill;
  return {
    name,
    description,
    triggers,
    instructions,
    required_mcp_tools,
    allowed_tools,
    ...(approval_threshold_usd !== undefined ? { approval_threshold_usd } : {}),
    success_count,
    failure_count,
    ...(code !== undefined ? { code } : {}),
    ...(test !== undefined ? { test } : {}),
    approved,
  };
}

/** The file text for `skill`; `previous` is the SKILL.md text it came from, if any. */
export function serializeSkill(skill: Skill, previous?: string): string {
  if (skill.format === 'json') return `${JSON.stringify(documentOf(skill), null, 2)}\n`;
  const front = previous ? (splitFrontMatter(skill.file, previous).data as Record<string, unknown>) : {};
  const metadata = { ...(front.metadata as Record<string, unknown> | undefined) };
  Object.assign(metadata, {
    triggers: skill.triggers,
    required_mcp_tools: skill.required_mcp_tools,
    success_count: skill.success_count,
    failure_count: skill.failure_count,
    approved: skill.approved,
    ...(skill.approval_threshold_usd !== undefined ? { approval_threshold_usd: skill.approval_threshold_usd } : {}),
  });
  const next: Record<string, unknown> = { ...front, name: skill.name, description: skill.description, metadata };
  if (skill.allowed_tools.length) next['allowed-tools'] = skill.allowed_tools.join(' ');
  return `---\n${YAML.stringify(next).trimEnd()}\n---\n\n${skill.instructions.trim()}\n`;
}

/** What a skill says apart from its outcome counts (outcomes alone do not make a new version). */
export function contentKey(skill: SkillDocument): string {
  return JSON.stringify({ ...documentOf(skill), success_count: 0, failure_count: 0 });
}
