// Skills: browse, edit with validation, create, and version history with rollback.

export interface SkillSummary {
  name: string;
  description: string;
  triggers: string[];
  confidence: number;
  successes: number;
  failures: number;
  version: number;
}

export interface SkillDocument extends SkillSummary {
  /** The SKILL.md text. */
  skillMd: string;
  /** The skill's JSON manifest, as text (edited as JSON). */
  manifest: string;
}

export interface ValidationIssue {
  /** `SKILL.md` or `manifest`, with a line or JSON path when known. */
  file: string;
  path?: string;
  line?: number;
  message: string;
}

export type SkillSaveResult = { ok: true; skill: SkillDocument } | { ok: false; issues: ValidationIssue[] };

export interface SkillEdit {
  name: string;
  skillMd: string;
  manifest: string;
}

export interface SkillVersion {
  version: number;
  savedAt: string;
  note?: string;
}

export interface SkillsApi {
  list(query?: string): Promise<SkillSummary[]>;
  get(name: string): Promise<SkillDocument>;
  /** Validates, saves a new version and reloads it live; invalid edits come back as issues, not errors. */
  save(edit: SkillEdit): Promise<SkillSaveResult>;
  create(name: string, description: string): Promise<SkillDocument>;
  history(name: string): Promise<SkillVersion[]>;
  rollback(name: string, version: number): Promise<SkillDocument>;
}
