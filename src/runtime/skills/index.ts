// The skill registry: JSON and SKILL.md skills, retrieval, hot reload, outcomes, history and learning.
export { SkillsExtension, type SkillsExtensionOptions } from './extension.ts';
export { SkillLibrary, SkillNotFoundError, SkillNameError, type SkillSummary } from './library.ts';
export { checkSkillText, type CheckedSkill, type SkillTextIssue } from './edit.ts';
export { SkillLearner, type Learned } from './learn.ts';
export { rankSkills, keywordRelevance, type Embedder, type RankedSkill } from './retrieval.ts';
export { parseSkill, SkillFileError } from './parse.ts';
export type { ReloadReport, SkillChange } from './store.ts';
export type { Verdict } from './run-records.ts';
export { confidenceOf, type Skill, type SkillDocument, type SkillFileIssue, type SkillVersion, type ChangeSource } from './types.ts';
