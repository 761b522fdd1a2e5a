// The skill registry's operations without a model: what the CLI, the desktop API and the extension share.
import path from 'node:path';
import { ReinError } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import { checkSkillText, type CheckedSkill } from './edit.ts';
import { runRecords, type RunRecords, type Verdict } from './run-records.ts';
import { SKILL_NAME } from './schema.ts';
import { SkillStore, type ReloadReport } from './store.ts';
import { confidenceOf, type ChangeSource, type Skill, type SkillFileIssue, type SkillFormat, type SkillVersion } from './types.ts';

export class SkillNotFoundError extends ReinError {}
export class SkillNameError extends ReinError {}

export interface SkillSummary {
  name: string;
  description: string;
  triggers: string[];
  origin: Skill['origin'];
  format: Skill['format'];
  file: string;
  approved: boolean;
  confidence: number;
  success_count: number;
  failure_count: number;
  required_mcp_tools: string[];
  approval_threshold_usd?: number;
  has_code: boolean;
}

export class SkillLibrary {
  readonly store: SkillStore;
  readonly userDir: string;
  private readonly records: RunRecords;

  constructor(config: Pick<ReinConfig, 'skills' | 'dataDir'> & { memory?: Pick<ReinConfig['memory'], 'episodic'> }) {
    this.userDir = config.skills.user_dir ?? path.join(config.dataDir, 'skills');
    this.store = new SkillStore(
      [
        { path: config.skills.registry, origin: 'bundled' },
        { path: this.userDir, origin: 'user' },
      ],
      path.join(config.dataDir, 'skill-history'),
    );
    this.records = runRecords(config);
  }

  /** Re-reads skill files if any changed (hot reload). */
  refresh(): ReloadReport | undefined {
    return this.store.refresh();
  }

  /** As refresh(), gated by file-system change events (for every step of a run). */
  refreshIfChanged(): ReloadReport | undefined {
    return this.store.refreshIfChanged();
  }

  close(): void {
    this.store.close();
  }

  listSkills(): SkillSummary[] {
    this.refresh();
    return this.store.list().map(summaryOf);
  }

  getSkill(name: string): Skill {
    this.refresh();
    const skill = this.store.get(name);
    if (!skill) throw new SkillNotFoundError(`no skill named "${name}" (rein skills list shows them)`);
    return skill;
  }

  /** `ifChanged`: re-read only on file-system change events (before every run). */
  validate(options: { ifChanged?: boolean } = {}): { skills: Skill[]; issues: SkillFileIssue[] } {
    if (options.ifChanged) this.refreshIfChanged();
    else this.refresh();
    return { skills: this.store.list(), issues: this.store.issues() };
  }

  history(name: string): SkillVersion[] {
    this.getSkill(name);
    return this.store.history.list(name);
  }

  rollback(name: string, version: number): Skill {
    this.getSkill(name);
    return this.store.rollback(name, version);
  }

  /**
   * Validates the edited text of a skill's one file and saves it as a new version (a bundled skill's edit goes to
   * its copy in the user folder). Invalid text comes back as issues naming file, line and field; nothing is written.
   */
  saveText(name: string, format: SkillFormat, text: string, source: ChangeSource = 'user'): CheckedSkill {
    const current = this.getSkill(name);
    if (format !== current.format) return { ok: false, issues: [{ file: current.file, message: `${name} is stored as ${current.format === 'json' ? 'a JSON document' : 'a SKILL.md file'}; edit it in that format` }] };
    const checked = checkSkillText(current.file, text, format, current.origin);
    if (!checked.ok) return checked;
    if (checked.skill.name !== name) return { ok: false, issues: [{ file: current.file, path: 'name', message: `the name must stay "${name}" (create a new skill for another name)` }] };
    return { ok: true, skill: this.store.writeText(checked.skill, text, source) };
  }

  /** A new JSON skill in the user folder; its instructions start as the description. */
  create(name: string, description: string): Skill {
    this.refresh();
    if (!SKILL_NAME.test(name)) throw new SkillNameError(`skill name "${name}": use 1-64 lowercase letters, digits, "_" or "-", starting with a letter or digit`);
    if (!description.trim()) throw new SkillNameError(`skill ${name}: the description must not be empty`);
    if (this.store.get(name)) throw new SkillNameError(`a skill named "${name}" already exists (${this.store.get(name)!.file})`);
    const text = description.trim();
    const skill: Skill = { name, description: text, triggers: [], instructions: text, required_mcp_tools: [], allowed_tools: [], success_count: 0, failure_count: 0, approved: true, file: path.join(this.userDir, `${name}.json`), format: 'json', origin: 'user' };
    return this.store.save(skill, 'user');
  }

  approve(name: string): Skill {
    return this.store.save({ ...this.getSkill(name), approved: true }, 'user');
  }

  /** Counts a success or failure for each named skill; counts persist in the skill file. */
  recordOutcome(names: readonly string[], success: boolean, undo = false): void {
    const step = undo ? -1 : 1;
    for (const name of names) {
      const skill = this.store.get(name);
      if (!skill) continue;
      const key = success ? 'success_count' : 'failure_count';
      this.store.save({ ...skill, [key]: Math.max(0, skill[key] + step) }, 'user');
    }
  }

  /** Remembers which skills a run used and scores them by the run's result. */
  async finishRun(runId: string, skills: readonly string[], succeeded: boolean): Promise<void> {
    if (!skills.length) return;
    this.recordOutcome(skills, succeeded);
    await this.records.write({ runId, time: new Date().toISOString(), skills: [...skills], succeeded });
  }

  /** User feedback on a finished run; a second verdict replaces the first. Returns the skills scored. */
  async feedback(runId: string, verdict: Verdict): Promise<string[]> {
    this.refresh();
    const record = await this.records.read(runId);
    if (!record) throw new SkillNotFoundError(`run ${runId} used no skills (or is unknown); nothing to score`);
    if (record.feedback === verdict) return record.skills;
    if (record.feedback) this.recordOutcome(record.skills, record.feedback === 'good', true);
    this.recordOutcome(record.skills, verdict === 'good');
    await this.records.write({ ...record, feedback: verdict });
    return record.skills;
  }
}

function summaryOf(skill: Skill): SkillSummary {
  return {
    name: skill.name,
    description: skill.description,
    triggers: skill.triggers,
    origin: skill.origin,
    format: skill.format,
    file: skill.file,
    approved: skill.approved,
    confidence: confidenceOf(skill),
    success_count: skill.success_count,
    failure_count: skill.failure_count,
    required_mcp_tools: skill.required_mcp_tools,
    ...(skill.approval_threshold_usd !== undefined ? { approval_threshold_usd: skill.approval_threshold_usd } : {}),
    has_code: Boolean(skill.code),
  };
}
