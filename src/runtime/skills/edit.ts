// Checking an edited skill file before it is saved: every problem named by file, line and field.
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { parseSkill, SkillFileError, splitFrontMatter } from './parse.ts';
import { jsonSkillSchema, skillMdFrontMatterSchema } from './schema.ts';
import type { Skill, SkillFormat, SkillOrigin } from './types.ts';

export interface SkillTextIssue {
  file: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** The field, e.g. `description` or `metadata.triggers`. */
  path?: string;
  message: string;
}

export type CheckedSkill = { ok: true; skill: Skill } | { ok: false; issues: SkillTextIssue[] };

/** Parses `text` as the skill file `file`; on failure, one issue per problem with the line where it is. */
export function checkSkillText(file: string, text: string, format: SkillFormat, origin: SkillOrigin): CheckedSkill {
  try {
    return { ok: true, skill: parseSkill(file, text, format, origin) };
  } catch (error) {
    if (!(error instanceof SkillFileError)) throw error;
    const issues = format === 'json' ? jsonIssues(file, text) : skillMdIssues(file, text);
    return { ok: false, issues: issues.length ? issues : [{ file, message: error.message.slice(file.length + 2) }] };
  }
}

function jsonIssues(file: string, text: string): SkillTextIssue[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    return [{ file, ...lineAt(line), message: `not valid JSON: ${message}` }];
  }
  const result = jsonSkillSchema.safeParse(data);
  if (result.success) return [];
  return zodIssues(file, result.error, (key) => lineOf(text, new RegExp(`"${escape(key)}"\\s*:`)));
}

function skillMdIssues(file: string, text: string): SkillTextIssue[] {
  let data: unknown;
  let body: string;
  try {
    ({ data, body } = splitFrontMatter(file, text));
  } catch (error) {
    const message = (error as Error).message.slice(file.length + 2);
    const yamlLine = /at line (\d+)/.exec(message)?.[1];
    return [{ file, ...lineAt(yamlLine === undefined ? undefined : Number(yamlLine) + 1), message: message.split('\n')[0]! }];
  }
  const front = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---/.exec(text)![1]!;
  const counter = new LineCounter();
  const doc = parseDocument(front, { lineCounter: counter });
  // +1: the opening `---` line
  const lineOfKey = (key: string) => {
    const node = isMap(doc.contents) ? doc.getIn(key.split('.'), true) : undefined;
    const offset = (node as { range?: [number] } | undefined)?.range?.[0];
    return offset === undefined ? undefined : counter.linePos(offset).line + 1;
  };
  const result = skillMdFrontMatterSchema.safeParse(data ?? {});
  if (!result.success) return zodIssues(file, result.error, lineOfKey);
  const issues: SkillTextIssue[] = [];
  const folder = file.split(/[\\/]/).at(-2);
  if (result.data.name !== folder) issues.push({ file, path: 'name', ...lineAt(lineOfKey('name')), message: `name "${result.data.name}" must match its folder name "${folder}"` });
  if (!body.trim()) issues.push({ file, line: front.split('\n').length + 2, message: 'the Markdown instructions after the front matter are empty' });
  return issues;
}

function zodIssues(file: string, error: z.ZodError, lineOfKey: (key: string) => number | undefined): SkillTextIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const where = [...issue.path.map(String), ...keys.slice(0, 1)].join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    return { file, ...(where ? { path: where, ...lineAt(lineOfKey(where)) } : {}), message };
  });
}

function lineAt(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index).split('\n').length : undefined;
}

function escape(key: string): string {
  return key.split('.').at(-1)!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
