/** A code skill's self-test: running the code with `input` must return `expected`. */
export interface SkillTest {
  input: unknown;
  expected: unknown;
}

/** What a skill says, in either format. */
export interface SkillDocument {
  name: string;
  description: string;
  triggers: string[];
  instructions: string;
  /** Tools the skill relies on; its code may call exactly these (plus `allowed_tools`). */
  required_mcp_tools: string[];
  allowed_tools: string[];
  /** Above this amount (USD) actions of this skill need approval (policy turns it into rules). */
  approval_threshold_usd?: number;
  success_count: number;
  failure_count: number;
  /** JavaScript run in the sandbox by `run_skill`: a function body with `input` and `tools` in scope. */
  code?: string;
  test?: SkillTest;
  /** False for learned skills until the user approves them; unapproved skills are never used. */
  approved: boolean;
}

export type SkillFormat = 'json' | 'skill-md';
export type SkillOrigin = 'bundled' | 'user';

export interface Skill extends SkillDocument {
  /** The JSON file or the SKILL.md file. */
  file: string;
  format: SkillFormat;
  origin: SkillOrigin;
}

/** A skill file that could not be loaded; it never hides the valid ones. */
export interface SkillFileIssue {
  file: string;
  message: string;
}

export type ChangeSource = 'user' | 'agent';

export interface SkillVersion {
  version: number;
  time: string;
  source: ChangeSource;
  format: SkillFormat;
  /** The skill file's full text at this version. */
  text: string;
}

/** Confidence in a skill from its outcomes: success / total, 0.5 when unused. */
export function confidenceOf(skill: Pick<SkillDocument, 'success_count' | 'failure_count'>): number {
  const total = skill.success_count + skill.failure_count;
  return total === 0 ? 0.5 : skill.success_count / total;
}
