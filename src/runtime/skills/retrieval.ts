// Which skills fit a goal: trigger keywords + embedding similarity, weighed with confidence from outcomes.
import { confidenceOf, type Skill } from './types.ts';

export type Embedder = (texts: string[], signal?: AbortSignal) => Promise<number[][]>;

export interface RankedSkill {
  skill: Skill;
  /** 0..1: how well the skill matches the goal. */
  relevance: number;
  confidence: number;
  score: number;
}

/** Below this relevance a skill is not listed at all (a trigger hit counts 1, embeddings their cosine). */
export const MIN_RELEVANCE = 0.5;
/** Full instructions go into the prompt up front only for skills this relevant; the others load on demand. */
export const INJECT_RELEVANCE = 0.7;

export function skillText(skill: Skill): string {
  return [skill.name.replaceAll(/[_-]/g, ' '), skill.description, skill.triggers.join(', ')].join('\n');
}

/** Trigger phrases found in the goal count fully; otherwise shared words of name/description count a little. */
export function keywordRelevance(goal: string, skill: Skill): number {
  const { text, words: goalWords } = goalKeys(goal);
  const keys = skillKeys(skill);
  if (keys.triggers.some((t) => containsPhrase(text, t))) return 1;
  if (!keys.words.length) return 0;
  const shared = keys.words.filter((w) => goalWords.has(w)).length;
  return Math.min(0.6, (shared / Math.min(keys.words.length, 4)) * 0.6);
}

/** A skill's normalised triggers and words, once per skill object (a run start ranks every skill). */
const keysBySkill = new WeakMap<Skill, { triggers: string[]; words: string[] }>();

function skillKeys(skill: Skill): { triggers: string[]; words: string[] } {
  let keys = keysBySkill.get(skill);
  if (!keys) {
    const named = [...new Set(words(normalise(`${skill.name.replaceAll(/[_-]/g, ' ')} ${skill.description}`)))].filter((w) => w.length > 3);
    keysBySkill.set(skill, (keys = { triggers: skill.triggers.map(normalise), words: named }));
  }
  return keys;
}

let lastGoal: { goal: string; text: string; words: Set<string> } | undefined;

function goalKeys(goal: string): { text: string; words: Set<string> } {
  if (lastGoal?.goal !== goal) {
    const text = normalise(goal);
    lastGoal = { goal, text, words: new Set(words(text)) };
  }
  return lastGoal;
}

/**
 * Ranks usable skills (approved, confidence ≥ minConfidence, relevant enough) best first.
 * `similarity` maps skill names to their embedding similarity with the goal, when embeddings are available.
 */
export function rankSkills(goal: string, skills: readonly Skill[], options: { minConfidence: number; similarity?: Map<string, number> }): RankedSkill[] {
  const ranked: RankedSkill[] = [];
  for (const skill of skills) {
    if (!skill.approved) continue;
    const confidence = confidenceOf(skill);
    if (confidence < options.minConfidence) continue;
    const relevance = Math.max(keywordRelevance(goal, skill), options.similarity?.get(skill.name) ?? 0);
    if (relevance < MIN_RELEVANCE) continue;
    ranked.push({ skill, relevance, confidence, score: 0.75 * relevance + 0.25 * confidence });
  }
  return ranked.sort((a, b) => b.score - a.score || a.skill.name.localeCompare(b.skill.name));
}

function normalise(text: string): string {
  return text.toLowerCase().replaceAll(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function words(text: string): string[] {
  return text.split(' ').filter(Boolean);
}

function containsPhrase(text: string, phrase: string): boolean {
  return Boolean(phrase) && ` ${text} `.includes(` ${phrase} `);
}
