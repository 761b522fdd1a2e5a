// Reads both skill formats into one Skill shape, with errors that name the file and the field.
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { ReinError } from '../base/index.ts';
import { jsonSkillSchema, skillMdFrontMatterSchema } from './schema.ts';
import type { Skill, SkillDocument, SkillFormat, SkillOrigin } from './types.ts';

export class SkillFileError extends ReinError {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.file = file;
  }
}

export function parseSkill(file: string, text: string, format: SkillFormat, origin: SkillOrigin): Skill {
  const document = format === 'json' ? parseJsonSkill(file, text) : parseSkillMd(file, text);
  return { ...document, file, format, origin };
}

function parseJsonSkill(file: string, text: string): SkillDocument {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SkillFileError(file, `not valid JSON: ${(error as Error).message}`);
  }
  return check(file, jsonSkillSchema.safeParse(data));
}

/** Splits `---\n<yaml>\n---\n<markdown>`. */
export function splitFrontMatter(file: string, text: string): { data: unknown; body: string } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new SkillFileError(file, 'SKILL.md must start with YAML front matter between "---" lines (name, description)');
  try {
    return { data: YAML.parse(match[1]!), body: match[2]!.trim() };
  } catch (error) {
    throw new SkillFileError(file, `front matter is not valid YAML: ${(error as Error).message}`);
  }
}

function parseSkillMd(file: string, text: string): SkillDocument {
  const { data, body } = splitFrontMatter(file, text);
  const front = check(file, skillMdFrontMatterSchema.safeParse(data ?? {}));
  const folder = path.basename(path.dirname(file));
  if (front.name !== folder) throw new SkillFileError(file, `name "${front.name}" must match its folder name "${folder}"`);
  if (!body) throw new SkillFileError(file, 'the Markdown instructions after the front matter are empty');
  const meta = front.metadata ?? {};
  return {
    name: front.name,
    description: front.description,
    triggers: meta.triggers ?? [],
    instructions: body,
    required_mcp_tools: meta.required_mcp_tools ?? [],
    allowed_tools: front['allowed-tools'] ?? [],
    ...(meta.approval_threshold_usd !== undefined ? { approval_threshold_usd: meta.approval_threshold_usd } : {}),
    success_count: meta.success_count ?? 0,
    failure_count: meta.failure_count ?? 0,
    approved: meta.approved ?? true,
  };
}

function check<T>(file: string, result: z.ZodSafeParseResult<T>): T {
  if (result.success) return result.data;
  throw new SkillFileError(file, describeIssues(result.error));
}

/** One line naming each bad field, e.g. `description: Invalid input: expected string, received undefined`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'document';
      return issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `${where}: ${issue.message}`;
    })
    .join('; ');
}
