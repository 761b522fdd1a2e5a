// Short conversation titles written by the model after a conversation's first answer, instead of the raw first
// prompt. Off the critical path: one at a time, only while no run is going (a run that starts stops it; it is tried
// again later), and never over a title the user gave.
import type { ConversationTitledEvent, RunEvent } from '../../common/index.ts';
import { errorMessage } from '../base/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { conversationStore } from './conversation-store.ts';

/** The instruction the title request starts with (test servers recognise it by this). */
export const TITLE_INSTRUCTIONS = 'You name conversations. Reply with a title of at most six words for the conversation below: the title only, no quotes, no final punctuation.';
const MAX_TITLE = 60;
const ATTEMPTS = 3;
const IDLE_POLL_MS = 500;
const TIMEOUT_MS = 30_000;

interface Pending {
  conversationId: string;
  goal: string;
  answer: string;
  attempts: number;
}

export class ConversationTitler {
  private readonly runtime: ApiRuntime;
  private readonly emit: (event: ConversationTitledEvent) => void;
  private readonly firstRuns = new Map<string, string>();
  private readonly queue: Pending[] = [];
  private working = false;
  private current: AbortController | undefined;
  private closed = false;

  constructor(runtime: ApiRuntime, emit: (event: ConversationTitledEvent) => void) {
    this.runtime = runtime;
    this.emit = emit;
  }

  observe(event: RunEvent): void {
    if (event.type === 'run.started') {
      this.current?.abort(); // a run has priority over a title
      if (!event.continues && (!event.conversationId || event.conversationId === event.runId)) this.firstRuns.set(event.runId, event.goal);
      return;
    }
    if (event.type !== 'run.finished') return;
    const goal = this.firstRuns.get(event.runId);
    this.firstRuns.delete(event.runId);
    if (goal === undefined || event.status !== 'completed' || !event.answer?.trim()) return;
    this.queue.push({ conversationId: event.runId, goal, answer: event.answer, attempts: 0 });
    void this.work().catch(() => undefined); // a title is a nicety: a store that is away (a team database) costs only the title
  }

  close(): void {
    this.closed = true;
    this.current?.abort();
  }

  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let next = this.queue.shift(); next && !this.closed; next = this.queue.shift()) {
        await this.whenIdle();
        if (this.closed || (await this.titled(next.conversationId))) continue;
        const title = await this.ask(next).catch(() => undefined);
        if (title === undefined) {
          if (++next.attempts < ATTEMPTS) this.queue.push(next);
          continue;
        }
        if (!title || (await this.titled(next.conversationId))) continue; // the user named it meanwhile
        await (await conversationStore(this.runtime.config)).rename(next.conversationId, title);
        this.emit({ type: 'conversation.titled', time: new Date().toISOString(), conversationId: next.conversationId, title });
      }
    } finally {
      this.working = false;
    }
  }

  private async titled(conversationId: string): Promise<boolean> {
    const store = await conversationStore(this.runtime.config);
    return conversationId in (await store.titles()) || (await store.removed()).has(conversationId);
  }

  private async whenIdle(): Promise<void> {
    while (!this.closed && this.runtime.listRuns().some((run) => this.runtime.isLive(run.runId))) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS).unref());
    }
  }

  /** The model's title, '' when it gave nothing usable, undefined when interrupted or failed (tried again later). */
  private async ask(pending: Pending): Promise<string | undefined> {
    const controller = new AbortController();
    this.current = controller;
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(TIMEOUT_MS)]);
    let text = '';
    try {
      const messages = [
        { role: 'system' as const, content: TITLE_INSTRUCTIONS },
        { role: 'user' as const, content: `Request: ${pending.goal.slice(0, 600)}\n\nAnswer: ${pending.answer.slice(0, 800)}` },
      ];
      for await (const chunk of this.runtime.model.chat({ messages, maxReplyTokens: 24, signal })) {
        if (chunk.type === 'text') text += chunk.text;
      }
    } catch (error) {
      if (!controller.signal.aborted) this.runtime.notify({ type: 'system.notice', level: 'info', source: 'conversations', message: `could not title a conversation: ${errorMessage(error)}` });
      return undefined;
    } finally {
      if (this.current === controller) this.current = undefined;
    }
    return cleanTitle(text);
  }
}

/** The first line of the reply without quotes, Markdown marks or final punctuation, at most 60 characters. */
export function cleanTitle(reply: string): string {
  const line = reply.replace(/<think>[\s\S]*?<\/think>/g, '').split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  const bare = line.replace(/^(title\s*:\s*)/i, '').replace(/^[#*"'“”`\s]+|[*"'“”`\s.!?:;,]+$/g, '').trim();
  if (bare.length <= MAX_TITLE) return bare;
  const cut = bare.slice(0, MAX_TITLE);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 20 ? cut.lastIndexOf(' ') : MAX_TITLE).trim()}…`;
}
