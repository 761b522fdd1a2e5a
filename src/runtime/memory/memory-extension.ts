// Memory as a runtime capability: episodic log of every event, checkpoints after every step, working context
// with compaction, cross-session recall, the remember/recall/forget tools, and resuming interrupted sessions.
import type { RunEvent, RunEventInput } from '../../common/index.ts';
import { ReinError, errorMessage } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { ExtensionHost, ResumePoint, RuntimeExtension } from '../extension.ts';
import { DEFAULT_SYSTEM_PROMPT, type RunContext, type RunHooks, type StepContext } from '../loop/index.ts';
import type { ChatMessage } from '../model/index.ts';
import { IN_CONTEXT_INSTRUCTIONS, SUMMARY_REPLY_TOKENS, planCompaction, planMasking, summarise, summariseInContext } from './compaction.ts';
import { createEmbedder, type Embedder } from './embedder.ts';
import { MemoryNotFoundError, NoteRejectedError } from './errors.ts';
import { NoteDesk, type NoteChange } from './note-desk.ts';
import { fitPinned, leftOutNotice } from './note-edits.ts';
import { restoreState } from './resume-state.ts';
import { SemanticMemory, type RecallResult } from './semantic-memory.ts';
import { openMemoryStore } from './open-store.ts';
import type { EventQuery, MemoryStore, NewNote, Note, RecalledNote, SessionSummary, WorkingState } from './store.ts';
import { TokenEstimator } from './token-estimator.ts';
import { memoryTools } from './tools.ts';
import { buildWorkingContext, droppedTurns, goalIndex, initialWorkingState } from './working-context.ts';

/** The in-context summary request and room for the summary it produces. */
const IN_CONTEXT_TOKENS = Math.ceil(IN_CONTEXT_INSTRUCTIONS.length / 4) + SUMMARY_REPLY_TOKENS;

/** What memory tracks for a run while it is live. */
interface RunMemory {
  goal: string;
  emit?: (event: RunEventInput) => void;
  step: number;
  lastSeq: number;
  reflections: number;
  working: WorkingState;
  /** Recall at run start already happened (or came back with a checkpoint). */
  recalled: boolean;
  /** Uncalibrated estimate of the prompt of the current step, for calibration against the model's count. */
  sentEstimate?: { step: number; raw: number };
  /** The run was told that its fixed part alone fills the budget. */
  futileNoticed?: boolean;
}


export interface MemoryOptions {
  onNoteChange?: (change: NoteChange) => void;
  /** Where vectors come from (default: memory.embed_model through the configured providers). */
  embedder?: Embedder;
}

export class MemoryExtension implements RuntimeExtension {
  readonly name = 'memory';
  readonly hooks: RunHooks;
  private readonly config: ReinConfig;
  private host!: ExtensionHost;
  private opened: { store: MemoryStore; semantic: SemanticMemory; desk: NoteDesk } | undefined;
  private readonly tokens = new TokenEstimator();
  private readonly runs = new Map<string, RunMemory>();
  private textOnlyNoticed = false;
  private unsubscribe: (() => void) | undefined;
  private logFailed = false;
  private readonly onNoteChange: (change: NoteChange) => void;
  private readonly embedder: Embedder | undefined;
  private readonly backfillAbort = new AbortController();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(config: ReinConfig, options: MemoryOptions = {}) {
    this.config = config;
    this.onNoteChange = options.onNoteChange ?? (() => undefined);
    this.embedder = options.embedder;
    this.hooks = {
      name: 'memory',
      onRunStart: (context) => this.onRunStart(context),
      prepareMessages: (messages, context) => this.prepareMessages(messages, context),
      afterStep: (messages, context) => this.checkpoint(messages, context),
    };
  }

  async start(host: ExtensionHost): Promise<void> {
    this.host = host;
    this.tokens.use(host.model);
    const store = await openMemoryStore(this.config);
    if (store.notice) host.notify({ type: 'system.notice', level: 'warn', source: this.name, message: store.notice });
    const semantic = new SemanticMemory(store, this.embedder ?? createEmbedder(this.config, this.config.memory.embed_model));
    this.opened = { store, semantic, desk: new NoteDesk(store, semantic, this.onNoteChange, this.config.memory.max_note_chars) };
    this.unsubscribe = host.onEvent((event) => this.record(event));
    // A server store writes the log in the background: a tool runs only once its tool.called is stored, so a run
    // resumed after a crash knows the call was made (and does not make it again).
    if (store.flush) host.guard.use(async (call, next) => (await store.flush!(call.runId), next()));
    for (const tool of memoryTools(this.toolsBackend())) host.registry.add(tool);
    // Vectors for notes saved while the model was away, between runs only.
    void this.semantic.backfill(this.backfillAbort.signal, () => this.whenIdle()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.backfillAbort.abort();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.unsubscribe?.();
    await this.opened?.store.close();
  }

  private get store(): MemoryStore {
    if (!this.opened) throw new ReinError('memory is not started (runtime.start() opens it)');
    return this.opened.store;
  }

  private get semantic(): SemanticMemory {
    if (!this.opened) throw new ReinError('memory is not started (runtime.start() opens it)');
    return this.opened.semantic;
  }

  private get desk(): NoteDesk {
    if (!this.opened) throw new ReinError('memory is not started (runtime.start() opens it)');
    return this.opened.desk;
  }

  // ── service operations (CLI, desktop API) ──

  listSessions(limit?: number): Promise<SessionSummary[]> {
    return this.store.listSessions(limit);
  }

  async sessionEvents(id: string, query?: EventQuery): Promise<RunEvent[]> {
    if (!(await this.store.getSession(id))) throw new MemoryNotFoundError(`no session ${id} in ${this.store.location}`);
    return this.store.sessionEvents(id, query);
  }

  recall(query: string, limit = this.config.memory.recall_limit): Promise<RecallResult> {
    return this.semantic.recall(query, limit);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.store.deleteSession(id);
  }

  recentNotes(limit: number): Promise<Note[]> {
    return this.store.recentNotes(limit);
  }

  note(id: number): Promise<Note> {
    return this.desk.note(id);
  }

  remember(content: string): Promise<Note> {
    return this.write({ content, kind: 'fact', source: 'user' });
  }

  forget(id: number, sessionId?: string): Promise<boolean> {
    return this.desk.forget(id, sessionId);
  }

  /** A note deleted a short while ago (by anyone, in this process) back under its id. */
  restore(id: number): Promise<Note> {
    return this.desk.restore(id);
  }

  edit(id: number, text: string): Promise<Note> {
    return this.desk.edit(id, text);
  }

  pin(id: number, pinned: boolean): Promise<Note> {
    return this.desk.pin(id, pinned);
  }

  pinnedNotes(): Promise<Note[]> {
    return this.desk.pinned();
  }

  /** Every note is saved here, so each write is reported once. */
  private write(note: NewNote, signal?: AbortSignal): Promise<Note> {
    return this.desk.write(note, signal);
  }

  async resumeSession(sessionId: string): Promise<ResumePoint> {
    const session = await this.store.getSession(sessionId);
    if (!session) throw new MemoryNotFoundError(`no session ${sessionId} in ${this.store.location} (rein sessions lists them)`);
    if (session.status === 'completed') throw new ReinError(`session ${sessionId} already completed; start a new run instead`);
    const checkpoint = await this.store.loadCheckpoint(sessionId);
    const fresh: ChatMessage[] = [
      { role: 'system', content: this.config.runtime.system_prompt ?? DEFAULT_SYSTEM_PROMPT },
      { role: 'user', content: session.goal },
    ];
    const after = await this.store.sessionEvents(sessionId, { afterSeq: checkpoint?.seq ?? 0 });
    const { run, working } = restoreState(checkpoint, fresh, after);
    const lastSeq = await this.store.lastSeq(sessionId);
    this.runs.set(sessionId, { goal: session.goal, step: run.step, lastSeq, reflections: run.reflections, working, recalled: Boolean(checkpoint) });
    return { goal: session.goal, lastSeq, state: run };
  }

  // ── episodic log ──

  private record(event: RunEvent): void {
    const run = this.runOf(event.runId, event.type === 'run.started' || event.type === 'run.resumed' ? event.goal : '');
    run.lastSeq = event.seq;
    if ('step' in event) run.step = Math.max(run.step, event.step);
    if (event.type === 'loop.detected') run.reflections = event.reflections;
    if (event.type === 'model.completed' && run.sentEstimate?.step === event.step) this.tokens.calibrate(run.sentEstimate.raw, event.usage.promptTokens);
    this.store.appendEvent(event).catch((error: unknown) => {
      if (this.logFailed) return;
      this.logFailed = true;
      this.host.notify({ type: 'system.notice', level: 'error', source: this.name, message: `cannot write the episodic log: ${errorMessage(error)}` });
    });
    if (event.type === 'run.finished') {
      this.runs.delete(event.runId);
      if (this.runs.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves when no run is going (background work waits for it). */
  private whenIdle(): Promise<void> {
    if (this.runs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private runOf(runId: string, goal: string): RunMemory {
    let run = this.runs.get(runId);
    if (!run) this.runs.set(runId, (run = { goal, step: 0, lastSeq: 0, reflections: 0, working: initialWorkingState(), recalled: false }));
    return run;
  }

  // ── run hooks ──

  private async onRunStart(context: RunContext): Promise<void> {
    const run = this.runOf(context.runId, context.goal);
    run.emit = context.emit;
    if (run.recalled) return;
    run.recalled = true;
    // Pinned notes come first, always; recall fills its own limit with the others.
    const pinned = fitPinned(await this.store.pinnedNotes());
    if (pinned.left) {
      context.emit({ type: 'run.notice', level: 'warn', source: this.name, message: leftOutNotice(pinned.left) });
    }
    const limit = this.config.memory.recall_limit;
    const started = performance.now();
    const found = await this.semantic.recall(context.goal, limit + pinned.notes.length, { excludeSession: context.runId, factsOnly: true, signal: context.signal });
    const isPinned = new Set(pinned.notes.map((n) => n.id));
    const others = { ...found, notes: found.notes.filter((n) => !isPinned.has(n.id)).slice(0, limit) };
    this.reportRecall(run, context.goal, others, started);
    if (pinned.notes.length) run.working.pinned = pinned.notes.map(recalledNote);
    run.working.recalled = others.notes.map(recalledNote);
  }

  private async prepareMessages(history: ChatMessage[], context: StepContext): Promise<ChatMessage[]> {
    const run = this.runOf(context.runId, context.goal);
    const { budget, window } = await this.budget();
    run.working.goalAt ??= goalIndex(history, context.goal);
    const tools = context.offeredTools ?? [];
    const size = (messages: readonly ChatMessage[]) => this.tokens.estimate(messages, tools);
    const { compact_threshold: high, compact_target: low, compact_mode: mode, verbatim_turns: verbatim } = this.config.memory;
    // Bulky tool results of older turns show as one-line stubs (no model call; masking.ts).
    // An in-context summary is asked on the prompt as the server has it cached: before this step's masking.
    const cached = buildWorkingContext(history, run.working);
    const maskTo = planMasking(history, run.working, verbatim);
    if (maskTo !== undefined) run.working = { ...run.working, maskedThrough: maskTo };
    let working = maskTo === undefined ? cached : buildWorkingContext(history, run.working);
    const before = size(working);
    // Hysteresis: compact at the high-water mark, down to the low-water mark, so the prompt's prefix (which the model
    // server reuses) holds for many steps between compactions. An overflow the server reported compacts at once.
    // The low-water mark is a share of the room left beside what compaction cannot remove (system prompt, goal, tools).
    const fixed = size([working[0]!, history[run.working.goalAt ?? 1]!]);
    const lowWater = fixed + low * Math.max(0, budget - fixed);
    // When system prompt, goal and tools alone pass the high-water mark, compacting turns cannot help: said once.
    const futile = fixed >= budget * high;
    if (futile && before > budget * high && !run.futileNoticed) {
      run.futileNoticed = true;
      context.emit({ type: 'run.notice', level: 'warn', source: this.name, message: `the system prompt, goal and offered tools alone take ~${fixed} of the ${budget}-token working budget, so compacting turns cannot help: raise memory.max_working_tokens or model.num_ctx, or lower runtime.max_tools_per_turn` });
    }
    if ((before > budget * high && !futile) || context.overflow) {
      const plan = planCompaction(history, run.working, lowWater, size);
      if (plan) {
        const started = performance.now();
        const dropped = droppedTurns(history, run.working, plan.cut);
        const common = { model: this.host.model, previous: run.working.summary, dropped, budget, timeoutMs: this.config.runtime.step_timeout_s * 1000, signal: context.signal };
        // When the request and its reply fit the window.
        const inContext = mode === 'in_context' && !context.overflow && size(cached) + IN_CONTEXT_TOKENS <= window;
        const summary = inContext ? await summariseInContext({ ...common, working: cached, tools }) : await summarise(common);
        const note = await this.write({ content: summary.text, kind: 'summary', source: 'compaction', sessionId: context.runId, step: context.step }, context.signal);
        run.working = { ...run.working, compactedThrough: plan.cut, summary: summary.text };
        working = buildWorkingContext(history, run.working);
        if (summary.fallbackReason) {
          context.emit({ type: 'run.notice', level: 'warn', source: this.name, message: `compaction fell back to truncation: ${summary.fallbackReason}` });
        }
        const tokensAfter = size(working);
        context.emit({ type: 'memory.compacted', step: context.step, turnsRemoved: plan.turnsRemoved, tokensBefore: before, tokensAfter, noteId: note.id, method: summary.method, durationMs: Math.round(performance.now() - started) });
      }
    }
    // Only for calibration here (a model that estimates for itself calibrates on its own): not serialised each step otherwise.
    if (!this.tokens.modelEstimates) run.sentEstimate = { step: context.step, raw: this.tokens.raw(working, tools) };
    return working;
  }

  private async checkpoint(messages: readonly ChatMessage[], context: StepContext): Promise<void> {
    const run = this.runOf(context.runId, context.goal);
    await this.store.saveCheckpoint({
      sessionId: context.runId,
      step: context.step,
      seq: run.lastSeq,
      run: { messages: [...messages], step: context.step, usage: context.usage, reflections: run.reflections },
      working: run.working,
    });
  }

  // ── helpers ──

  /** Budget: min(memory.max_working_tokens, the model's num_ctx minus the reply reserve). */
  /** The working budget, and the model's whole window (an in-context summary request and its reply must fit it). */
  private async budget(): Promise<{ budget: number; window: number }> {
    const configured = this.config.memory.max_working_tokens;
    try {
      // Asked each step (the client caches it): the window can shrink to what the server actually loaded.
      const { contextWindow } = await this.host.model.info();
      return { budget: Math.min(configured, contextWindow - Math.min(2048, Math.floor(contextWindow / 4))), window: contextWindow };
    } catch {
      return { budget: configured, window: configured }; // the model call itself will report why the model is unavailable
    }
  }

  private reportRecall(run: RunMemory, query: string, found: RecallResult, started: number): void {
    // Said once per runtime (the first run that notices), not on every run of a long-lived app.
    if (found.unavailable && !this.textOnlyNoticed) {
      this.textOnlyNoticed = true;
      const what = found.vectorStore ? 'vector search is unavailable' : `embedding model ${this.semantic.embedModel} is unavailable`;
      run.emit?.({ type: 'run.notice', level: 'warn', source: this.name, message: `${what} (${found.unavailable}); recall uses full-text search only` });
    }
    const durationMs = Math.round(performance.now() - started);
    if (found.notes.length) run.emit?.({ type: 'memory.recalled', query, noteIds: found.notes.map((n) => n.id), mode: found.mode, durationMs });
  }

  private toolsBackend() {
    return {
      recallLimit: this.config.memory.recall_limit,
      remember: (content: string, { runId, signal }: { runId: string; signal: AbortSignal }) => {
        if (isRawJson(content)) return Promise.reject(new NoteRejectedError('a note says in words what to remember, not raw JSON from a tool: write the fact as a sentence'));
        return this.write({ content, kind: 'fact', source: 'remember', sessionId: runId, step: this.runs.get(runId)?.step }, signal);
      },
      recall: async (query: string, limit: number, { runId, signal }: { runId: string; signal: AbortSignal }) => {
        const started = performance.now();
        const found = await this.semantic.recall(query, limit, { factsOnly: true, signal });
        const run = this.runs.get(runId);
        if (run) this.reportRecall(run, query, found, started);
        return found.notes;
      },
      forget: (id: number, { runId }: { runId: string }) => this.forget(id, runId),
    };
  }
}

/** Tool output pasted as a note (`{"action":"accept",…}`): an object or array of JSON, not a sentence. */
export function isRawJson(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    return typeof JSON.parse(trimmed) === 'object';
  } catch {
    return false;
  }
}

function recalledNote({ id, content, kind, sessionId }: Note): RecalledNote {
  return { id, content, kind, ...(sessionId ? { sessionId } : {}) };
}
