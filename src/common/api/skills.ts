// Skills: browse, edit with validation, create, and version history with rollback.
// A skill is ONE file: a JSON document or a SKILL.md (YAML front matter + Markdown), edited as that file's text.

export type SkillFormat = 'json' | 'skill-md';

export interface SkillSummary {
  name: string;
  description: string;
  triggers: string[];
  /** Where it lives: `bundled` skills are read-only; editing one makes a copy in the user's skills folder. */
  origin: 'bundled' | 'user';
  format: SkillFormat;
  /** Learned skills wait for approval before they are used. */
  approved: boolean;
  confidence: number;
  successes: number;
  failures: number;
  /** Above this amount (USD) the skill's actions need approval (a derived policy rule). */
  approvalThresholdUsd?: number;
  version: number;
}

export interface SkillDocument extends SkillSummary {
  /** The skill's file. */
  file: string;
  /** The file's full text. */
  text: string;
}

export interface ValidationIssue {
  file: string;
  /** 1-based line in the edited text, when known. */
  line?: number;
  /** The field, e.g. `description` or `metadata.triggers`. */
  path?: string;
  message: string;
}

export type SkillSaveResult = { ok: true; skill: SkillDocument } | { ok: false; issues: ValidationIssue[] };

export interface SkillEdit {
  name: string;
  /** Must be the skill's own format. */
  format: SkillFormat;
  text: string;
}

export interface SkillVersion {
  version: number;
  savedAt: string;
  /** Who wrote it: the user (edits, rollbacks, hand edits) or the agent (learned). */
  source: 'user' | 'agent';
}

export interface SkillsApi {
  /** All skills, or those whose name, description or triggers contain `query`. */
  list(query?: string): Promise<SkillSummary[]>;
  get(name: string): Promise<SkillDocument>;
  /** Validates, saves a new version and reloads it live; invalid edits come back as issues, not errors. */
  save(edit: SkillEdit): Promise<SkillSaveResult>;
  /** A new JSON skill in the user's skills folder. */
  create(name: string, description: string): Promise<SkillDocument>;
  history(name: string): Promise<SkillVersion[]>;
  rollback(name: string, version: number): Promise<SkillDocument>;
}
