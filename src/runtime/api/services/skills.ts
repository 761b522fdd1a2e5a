// The skills section over the SkillLibrary: search, the one file of each skill as text, validated saves that are
// live at once (the store's map is updated; runs re-read changed files before each step), history and rollback.
import fs from 'node:fs';
import type { SkillDocument, SkillsApi, SkillSummary } from '../../../common/index.ts';
import { confidenceOf, SkillFileError, SkillNameError, SkillNotFoundError, type Skill, type SkillLibrary } from '../../skills/index.ts';
import { ApiArgumentError, ApiNotFoundError } from '../errors.ts';

export function skillsService(library: SkillLibrary): SkillsApi {
  const summaryOf = (skill: Skill): SkillSummary => {
    const { name, description, triggers, origin, format, approved, success_count, failure_count, approval_threshold_usd } = skill;
    return {
      name,
      description,
      triggers,
      origin,
      format,
      approved,
      confidence: confidenceOf(skill),
      successes: success_count,
      failures: failure_count,
      ...(approval_threshold_usd !== undefined ? { approvalThresholdUsd: approval_threshold_usd } : {}),
      version: library.store.history.latest(name)?.version ?? 1,
    };
  };
  const documentOf = (skill: Skill): SkillDocument => ({ ...summaryOf(skill), file: skill.file, text: fs.readFileSync(skill.file, 'utf8') });
  return {
    list: (query) =>
      attempt(() => {
        const needle = query?.trim().toLowerCase();
        const skills = library.validate().skills;
        const matches = needle ? skills.filter((s) => [s.name, s.description, ...s.triggers].some((t) => t.toLowerCase().includes(needle))) : skills;
        return matches.map(summaryOf);
      }),
    get: (name) => attempt(() => documentOf(library.getSkill(name))),
    save: (edit) =>
      attempt(() => {
        const result = library.saveText(edit.name, edit.format, edit.text);
        return result.ok ? { ok: true, skill: documentOf(result.skill) } : { ok: false, issues: result.issues };
      }),
    create: (name, description) => attempt(() => documentOf(library.create(name, description))),
    history: (name) => attempt(() => library.history(name).map((v) => ({ version: v.version, savedAt: v.time, source: v.source }))),
    rollback: (name, version) => attempt(() => documentOf(library.rollback(name, version))),
  };
}

/** Runs `fn`, turning the library's errors into the API's (unknown skill → not_found, bad name or version → bad_request). */
function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    if (error instanceof SkillNotFoundError) return Promise.reject(new ApiNotFoundError(error.message));
    if (error instanceof SkillNameError || error instanceof SkillFileError) return Promise.reject(new ApiArgumentError(error.message));
    return Promise.reject(error);
  }
}
