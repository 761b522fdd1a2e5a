// The skills capability: retrieval into the system prompt, load_skill/run_skill/run_js tools, hot reload,
// outcomes per run and the learning loop (in the background, after a run finished).
import type { RunEventInput, SkillLearningEvent } from '../../common/index.ts';
import { cosine, errorMessage, withTimeout } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { ChatMessage } from '../model/index.ts';
import type { RunContext, RunHooks, RunResult } from '../loop/index.ts';
import { createSandbox, runJsTool, type Sandbox } from '../sandbox/index.ts';
import { SkillLearner } from './learn.ts';
import { SkillLibrary } from './library.ts';
import { INJECT_RELEVANCE, rankSkills, skillText, type Embedder, type RankedSkill } from './retrieval.ts';
import { instructionsOf, loadSkillTool, runSkillTool } from './tools.ts';
import { confidenceOf, type Skill } from './types.ts';

export interface SkillsExtensionOptions {
  /** Embeddings for retrieval and near-duplicate detection; default: the model's `embed`, if any. */
  embed?: Embedder;
  library?: SkillLibrary;
  /** Only these skills may be used (a subagent's role subset); default: all. */
  only?: readonly string[];
  /** Learn skills from finished runs (skills.auto_learn permitting); false in subagents. Default: true. */
  learn?: boolean;
}

/** Runs with fewer tool calls are too simple to be worth a skill (and a model call). */
export const MIN_TOOL_CALLS_TO_LEARN = 3;

const SKILL_TOOLS = new Set(['load_skill', 'run_skill']);

interface RunState {
  emit: (event: RunEventInput) => void;
  used: Set<string>;
  /** load_skill / run_skill are offered only when a usable skill existed at run start (stable within the run). */
  skillTools: boolean;
  /** Set when the run finished: learn from it after run.finished. */
  learnable?: boolean;
}

export class SkillsExtension implements RuntimeExtension {
  readonly name = 'skills';
  readonly library: SkillLibrary;
  readonly hooks: RunHooks;
  private readonly config: ReinConfig;
  private embed: Embedder | undefined;
  private host: ExtensionHost | undefined;
  private sandbox: Sandbox | undefined;
  private learner: SkillLearner | undefined;
  private readonly runs = new Map<string, RunState>();
  private readonly vectors = new Map<string, number[]>();
  private loaded = false;
  private embeddingFallbackSaid = false;
  private readonly only: ReadonlySet<string> | undefined;
  private readonly learn: boolean;
  /** Learning runs one at a time, in the background; close() waits for it. */
  private learning: Promise<void> = Promise.resolve();
  private readonly learningAbort = new AbortController();

  constructor(config: ReinConfig, options: SkillsExtensionOptions = {}) {
    this.config = config;
    this.embed = options.embed;
    this.library = options.library ?? new SkillLibrary(config);
    this.only = options.only ? new Set(options.only) : undefined;
    this.learn = options.learn ?? true;
    this.hooks = {
      name: 'skills',
      onRunStart: (context) => this.onRunStart(context),
      beforeStep: () => void this.reload(),
      // Without a usable skill, load_skill and run_skill would only cost prompt tokens.
      selectTools: (tools, _messages, context) => (this.runs.get(context.runId)?.skillTools === false ? tools.filter((t) => !SKILL_TOOLS.has(t.name)) : tools),
      onRunFinish: (result, context) => this.onRunFinish(result, context),
      afterRunFinished: (result, context) => this.afterRunFinished(result, context),
    };
  }

  start(host: ExtensionHost): void {
    this.host = host;
    // The model is read from the host at each call: picking another model (Runtime.useModel) reaches learning too.
    this.embed ??= host.model.embed ? (texts, signal) => host.model.embed!(texts, signal) : undefined;
    const settings = this.config.sandbox;
    this.sandbox = createSandbox(settings, {
      onCatastrophic: (message) => host.notify({ type: 'system.notice', level: 'error', source: 'sandbox', message: `isolated-vm reported a catastrophic error (${message}); the sandbox worker that had it was replaced` }),
    });
    const skillHost = { find: (name: string) => this.find(name), used: (runId: string, skill: Skill, how: 'loaded' | 'run') => this.markUsed(runId, skill, how) };
    host.registry.add(runJsTool(this.sandbox, { wallTimeoutMs: settings.wall_timeout_ms, tools: settings.run_js_tools }));
    host.registry.add(loadSkillTool(skillHost));
    host.registry.add(runSkillTool(skillHost, this.sandbox, settings.wall_timeout_ms));
    this.learner = new SkillLearner({
      model: () => host.model,
      library: this.library,
      sandbox: this.sandbox,
      ...(this.embed ? { embed: this.embed } : {}),
      needApproval: this.config.skills.learned_need_approval,
      duplicateSimilarity: this.config.skills.duplicate_similarity,
    });
    this.reload();
  }

  /** Skills for the policy and the UI (including `approval_threshold_usd`). */
  listSkills(): ReturnType<SkillLibrary['listSkills']> {
    return this.library.listSkills();
  }

  /** Ranks skills for a goal (also what `onRunStart` injects). */
  async retrieve(goal: string, signal?: AbortSignal, onFallback?: (message: string) => void): Promise<RankedSkill[]> {
    this.reload();
    const skills = this.usable();
    let similarity: Map<string, number> | undefined;
    if (this.embed && skills.length) {
      try {
        similarity = await this.similarities(goal, skills, signal);
      } catch (error) {
        onFallback?.(`embeddings unavailable (${errorMessage(error)}); ranking skills by keywords and confidence`);
      }
    }
    return rankSkills(goal, skills, { minConfidence: this.config.skills.min_confidence, ...(similarity ? { similarity } : {}) });
  }

  private async onRunStart(context: RunContext): Promise<string[]> {
    this.runs.set(context.runId, { emit: context.emit, used: new Set(), skillTools: this.usable().some((s) => s.approved) });
    // Said once per runtime: memory reports the same missing embedding model on every run already.
    const notice = (message: string) => {
      if (this.embeddingFallbackSaid) return;
      this.embeddingFallbackSaid = true;
      context.emit({ type: 'run.notice', level: 'info', source: 'skills', message });
    };
    const ranked = await this.retrieve(context.goal, context.signal, notice);
    const listed = ranked.slice(0, this.config.skills.max_listed);
    if (!listed.length) return [];
    const injected = listed.filter((r) => r.relevance >= INJECT_RELEVANCE).slice(0, this.config.skills.max_injected);
    for (const r of injected) this.markUsed(context.runId, r.skill, 'injected', r.relevance);
    const list = listed.map((r) => `- ${r.skill.name}: ${r.skill.description} (confidence ${r.confidence.toFixed(2)})`);
    return [
      ['## Skills', 'Skills that may fit this goal; call load_skill {"name": …} for the full instructions of one you use:', ...list].join('\n'),
      ...injected.map((r) => instructionsOf(r.skill)),
    ];
  }

  /** Resolves when no skill is being learned (each attempt is bounded by runtime.step_timeout_s). */
  idle(): Promise<void> {
    return this.learning;
  }

  /** Waits for a skill being learned (it may test code in the sandbox), then ends the sandbox worker processes. */
  async close(): Promise<void> {
    await this.idle();
    this.library.close();
    await this.sandbox?.close();
  }

  private async onRunFinish(result: RunResult, context: RunContext): Promise<void> {
    const state = this.runs.get(context.runId);
    const used = [...(state?.used ?? [])];
    await this.library.finishRun(context.runId, used, result.status === 'completed');
    const toolCalls = result.messages.reduce((n, m) => n + (m.role === 'assistant' ? (m.toolCalls?.length ?? 0) : 0), 0);
    if (state) state.learnable = this.config.skills.auto_learn && this.learn && !used.length && result.status === 'completed' && toolCalls >= MIN_TOOL_CALLS_TO_LEARN;
  }

  /** After run.finished: the run's answer never waits for learning. One run at a time. */
  private afterRunFinished(result: RunResult, context: RunContext): void {
    const state = this.runs.get(context.runId);
    this.runs.delete(context.runId);
    if (!state?.learnable || !this.learner) return;
    const messages = [...result.messages];
    this.learning = this.learning.then(() => this.learnFrom(context.runId, context.goal, messages));
  }

  private async learnFrom(runId: string, goal: string, messages: ChatMessage[]): Promise<void> {
    const notify = (event: Omit<SkillLearningEvent, 'type' | 'runId' | 'time'>) => this.host?.notify({ type: 'skill.learning', runId, ...event });
    notify({ state: 'started' });
    const { signal, dispose } = withTimeout(this.learningAbort.signal, this.config.runtime.step_timeout_s * 1000, 'learning a skill');
    try {
      const learned = await this.learner!.learn(goal, messages, signal);
      const { name, approved } = learned.skill;
      notify({ state: 'learned', name, action: learned.action, approved, version: learned.version, ...(learned.note ? { message: learned.note } : {}) });
    } catch (error) {
      notify({ state: 'failed', message: `could not learn a skill from this run: ${errorMessage(error)}` });
    } finally {
      dispose();
    }
  }

  /** The skills this runtime may use: all, or a subagent role's subset. */
  private usable(): Skill[] {
    const all = this.library.store.list();
    return this.only ? all.filter((s) => this.only!.has(s.name)) : all;
  }

  private find(name: string): Skill | string {
    this.reload();
    let skill = this.usable().find((s) => s.name === name);
    if (!skill) {
      this.reload(true); // written a moment ago, before its change event arrived
      skill = this.usable().find((s) => s.name === name);
    }
    if (!skill) return `no skill named "${name}"; available: ${this.usable().filter((s) => s.approved).map((s) => s.name).join(', ') || 'none'}`;
    if (!skill.approved) return `skill ${name} is not approved yet (rein skills approve ${name})`;
    return skill;
  }

  private markUsed(runId: string, skill: Skill, how: 'injected' | 'loaded' | 'run', relevance?: number): void {
    const state = this.runs.get(runId);
    if (!state) return;
    state.used.add(skill.name);
    state.emit({ type: 'skill.used', name: skill.name, how, confidence: confidenceOf(skill), ...(relevance !== undefined ? { relevance } : {}) });
  }

  /** Hot reload: picks up added, edited and deleted skill files (on change events; `force` looks anyway); reports changes (the first load only its issues). */
  private reload(force = false): void {
    const report = force ? this.library.refresh() : this.library.refreshIfChanged();
    const first = !this.loaded;
    this.loaded = true;
    if (!report) return;
    const changed = report.added.length || report.changed.length || report.removed.length;
    if (report.issues.length || (changed && !first)) this.host?.notify({ type: 'skills.reloaded', ...report });
  }

  private async similarities(goal: string, skills: readonly Skill[], signal?: AbortSignal): Promise<Map<string, number>> {
    const texts = skills.map(skillText);
    const missing = [...new Set(texts.filter((t) => !this.vectors.has(t)))];
    const vectors = await this.embed!([goal, ...missing], signal);
    if (vectors.length !== missing.length + 1) throw new Error(`the embedder returned ${vectors.length} vectors for ${missing.length + 1} texts`);
    missing.forEach((text, i) => this.vectors.set(text, vectors[i + 1]!));
    return new Map(skills.map((skill, i) => [skill.name, Math.max(0, cosine(vectors[0]!, this.vectors.get(texts[i]!)!))]));
  }
}
