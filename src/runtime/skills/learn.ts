// The learning loop: distil a finished run that no skill covered into a skill (instructions, maybe code
// with a test), test the code in the sandbox, and update a near-duplicate instead of adding a new skill.
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { cosine, errorMessage } from '../base/index.ts';
import { requestOf } from '../loop/index.ts';
import type { ChatMessage, ModelClient } from '../model/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import type { SkillLibrary } from './library.ts';
import { skillText, type Embedder } from './retrieval.ts';
import { describeIssues } from './parse.ts';
import { jsonSkillSchema } from './schema.ts';
import type { Skill } from './types.ts';

export interface LearnOptions {
  /** The current model, read at each learning call (it changes when the user picks another one). */
  model: () => ModelClient;
  library: SkillLibrary;
  sandbox: Sandbox;
  embed?: Embedder;
  needApproval: boolean;
  duplicateSimilarity: number;
}

export interface Learned {
  skill: Skill;
  action: 'created' | 'updated';
  version: number;
  /** Why the code was left out, if it was. */
  note?: string;
}

const BUILTIN_TOOLS = new Set(['run_js', 'load_skill', 'run_skill']);
const TRANSCRIPT_CHARS = 6_000;

export const LEARN_PROMPT = [
  'You turn a finished agent run into a reusable skill for similar future tasks.',
  'Reply with one JSON object only, no prose:',
  '{"name": "lower_snake_case", "description": "one sentence: when to use it", "triggers": ["key phrases of such goals"],',
  ' "instructions": "numbered steps, general, not tied to this run\'s data",',
  ' "code": "optional JavaScript function body using `input` (and `await tools.<name>(args)`) that returns the result",',
  ' "test": {"input": …, "expected": …}}',
  'Include code and test only when the task is a pure computation that code can do reliably.',
].join('\n');

export class SkillLearner {
  private readonly options: LearnOptions;

  constructor(options: LearnOptions) {
    this.options = options;
  }

  async learn(goal: string, messages: readonly ChatMessage[], signal?: AbortSignal): Promise<Learned> {
    const { library } = this.options;
    const reply = await this.ask(goal, messages, signal);
    const usedTools = [...new Set(messages.flatMap((m) => (m.role === 'tool' && !BUILTIN_TOOLS.has(m.toolName) ? [m.toolName] : [])))];
    const parsed = jsonSkillSchema.safeParse({ required_mcp_tools: usedTools, ...pickDraft(reply), success_count: 0, failure_count: 0, approved: !this.options.needApproval });
    if (!parsed.success) throw new Error(`the model's skill is invalid: ${describeIssues(parsed.error)}`);
    const draft = parsed.data;
    let note: string | undefined;
    if (draft.code) {
      note = await this.testCode(draft.code, draft.test, signal);
      if (note) {
        delete draft.code;
        delete draft.test;
      }
    }
    const existing = (await this.nearDuplicate(draft, signal)) ?? library.store.get(draft.name);
    const skill: Skill = existing
      ? { ...existing, ...draft, name: existing.name, success_count: existing.success_count, failure_count: existing.failure_count }
      : { ...draft, file: path.join(library.userDir, `${draft.name}.json`), format: 'json', origin: 'user' };
    library.store.save(skill, 'agent');
    const version = library.store.history.latest(skill.name)?.version ?? 1;
    return { skill, action: existing ? 'updated' : 'created', version, ...(note ? { note } : {}) };
  }

  private async ask(goal: string, messages: readonly ChatMessage[], signal?: AbortSignal): Promise<unknown> {
    const request: ChatMessage[] = [
      { role: 'system', content: LEARN_PROMPT },
      { role: 'user', content: `Goal: ${goal}\n\nWhat the agent did:\n${transcript(messages)}` },
    ];
    let text = '';
    for await (const chunk of this.options.model().chat({ messages: request, ...(signal ? { signal } : {}) })) {
      if (chunk.type === 'text') text += chunk.text;
    }
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start < 0 || end < start) throw new Error('the model did not answer with a JSON skill');
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  }

  /** Undefined when the code passes its test; otherwise why not. */
  private async testCode(code: string, test: { input: unknown; expected: unknown } | undefined, signal?: AbortSignal): Promise<string | undefined> {
    if (!test) return 'the code came without a test, so it was left out';
    try {
      const result = await this.options.sandbox.run({ code, input: test.input, ...(signal ? { signal } : {}) });
      if (isDeepStrictEqual(result.value, test.expected)) return undefined;
      return `the code returned ${JSON.stringify(result.value)} instead of ${JSON.stringify(test.expected)}, so it was left out`;
    } catch (error) {
      return `the code failed its test (${errorMessage(error)}), so it was left out`;
    }
  }

  private async nearDuplicate(draft: Omit<Skill, 'file' | 'format' | 'origin'>, signal?: AbortSignal): Promise<Skill | undefined> {
    const { embed, library, duplicateSimilarity } = this.options;
    const skills = library.store.list();
    if (!embed || !skills.length) return undefined;
    const probe = { ...draft, file: '', format: 'json', origin: 'user' } as Skill;
    const vectors = await embed([skillText(probe), ...skills.map(skillText)], signal);
    let best: { skill: Skill; similarity: number } | undefined;
    skills.forEach((skill, i) => {
      const similarity = cosine(vectors[0]!, vectors[i + 1]!);
      if (!best || similarity > best.similarity) best = { skill, similarity };
    });
    return best && best.similarity >= duplicateSimilarity ? best.skill : undefined;
  }
}

function pickDraft(reply: unknown): Record<string, unknown> {
  if (typeof reply !== 'object' || reply === null) throw new Error('the model did not answer with a JSON object');
  const allowed = ['name', 'description', 'triggers', 'instructions', 'code', 'test', 'required_mcp_tools'];
  return Object.fromEntries(Object.entries(reply).filter(([key, value]) => allowed.includes(key) && value !== null && value !== ''));
}

function transcript(messages: readonly ChatMessage[]): string {
  const lines = messages
    .filter((m) => m.role !== 'system')
    .map((m) => {
      if (m.role === 'tool') return `[tool ${m.toolName} →] ${m.content.slice(0, 400)}`;
      if (m.role === 'assistant' && m.toolCalls?.length) return `[assistant calls] ${m.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join('; ')}`;
      // A goal message's context (recalled notes, skills) is not part of what the agent did.
      return `[${m.role}] ${(m.role === 'user' ? requestOf(m.content) : m.content).slice(0, 800)}`;
    });
  const text = lines.join('\n');
  return text.length > TRANSCRIPT_CHARS ? `…${text.slice(-TRANSCRIPT_CHARS)}` : text;
}
