// Built-in skill tools: `load_skill` (progressive disclosure) and `run_skill` (a skill's code in the sandbox,
// with exactly the tools its manifest names).
import fs from 'node:fs';
import path from 'node:path';
import { guardedCapabilities, type Sandbox } from '../sandbox/index.ts';
import type { Tool } from '../tools/index.ts';
import type { Skill } from './types.ts';

export interface SkillToolHost {
  /** An approved skill by name, or an error message for the model. */
  find(name: string): Skill | string;
  /** Called when a run used a skill. */
  used(runId: string, skill: Skill, how: 'loaded' | 'run'): void;
}

const nameParameter = { name: { type: 'string', description: 'the skill name' } };

export function loadSkillTool(host: SkillToolHost): Tool {
  return {
    name: 'load_skill',
    description: 'Load the full instructions of one of the skills listed in the system prompt.',
    parameters: { type: 'object', properties: nameParameter, required: ['name'] },
    capability: 'read',
    source: { kind: 'builtin' },
    run: async (args, context) => {
      const skill = host.find(String(args.name));
      if (typeof skill === 'string') throw new Error(skill);
      host.used(context.runId, skill, 'loaded');
      return instructionsOf(skill);
    },
  };
}

export function runSkillTool(host: SkillToolHost, sandbox: Sandbox, wallTimeoutMs: number): Tool {
  return {
    name: 'run_skill',
    description: "Run a skill's code in the sandbox with the given input (only skills marked as having code).",
    parameters: { type: 'object', properties: { ...nameParameter, input: { description: 'JSON input for the skill code' } }, required: ['name'] },
    // Sandboxed: no host access, so policy treats it as read; every tool it calls is checked on its own.
    capability: 'read',
    source: { kind: 'builtin' },
    timeoutMs: wallTimeoutMs + 5_000,
    run: async (args, context) => {
      const skill = host.find(String(args.name));
      if (typeof skill === 'string') throw new Error(skill);
      if (!skill.code) throw new Error(`skill ${skill.name} has no code; follow its instructions instead (load_skill)`);
      host.used(context.runId, skill, 'run');
      const tools = [...new Set([...skill.required_mcp_tools, ...skill.allowed_tools])];
      const result = await sandbox.run({ code: skill.code, input: args.input, capabilities: guardedCapabilities(context, tools), signal: context.signal });
      return result.console ? { value: result.value, console: result.console } : { value: result.value };
    },
  };
}

/** The text the model gets when a skill is chosen. */
export function instructionsOf(skill: Skill): string {
  const lines = [`### Skill: ${skill.name}`, skill.description, '', skill.instructions.trim()];
  if (skill.code) lines.push('', `This skill has code: call run_skill {"name": "${skill.name}", "input": …} to run it.`);
  if (skill.required_mcp_tools.length) lines.push(`Tools it relies on: ${skill.required_mcp_tools.join(', ')}.`);
  if (skill.approval_threshold_usd !== undefined) lines.push(`Actions above ${skill.approval_threshold_usd} USD need the user's approval.`);
  const bundled = bundledFiles(skill);
  if (bundled.length) lines.push(`Files bundled with this skill: ${bundled.join(', ')}.`);
  return lines.join('\n');
}

/** Other files in a SKILL.md folder (scripts, templates, references), as absolute paths. */
function bundledFiles(skill: Skill): string[] {
  if (skill.format !== 'skill-md') return [];
  const dir = path.dirname(skill.file);
  try {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !(entry.parentPath === dir && entry.name === 'SKILL.md'))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
  } catch {
    return [];
  }
}
