// What one step sends, shaped so the model server can reuse its cache: hooks prepare the messages first, then
// choose tools knowing whether the prompt still extends the previous step's (a compaction starts a new prefix).
// A context overflow reported by the server makes the hooks shrink the prompt once, and the step is retried.
import { ContextOverflowError, type ChatMessage, type ToolSpec } from '../model/index.ts';
import type { ToolRegistry } from '../tools/index.ts';
import type { RunHooks, StepContext } from './hooks.ts';
import { named } from './named-hook.ts';

export type StepInput = StepContext;

export class PromptPrefix {
  private previous: ChatMessage[] | undefined;
  private tools: ToolSpec[] | undefined;

  private readonly registry: ToolRegistry;
  private readonly hooks: readonly RunHooks[];

  constructor(registry: ToolRegistry, hooks: readonly RunHooks[]) {
    this.registry = registry;
    this.hooks = hooks;
  }

  async turn<T>(history: ChatMessage[], step: StepInput, send: (messages: ChatMessage[], tools: ToolSpec[]) => Promise<T>): Promise<T> {
    const first = await this.prepare(history, step, false);
    try {
      return await send(first.messages, first.tools);
    } catch (error) {
      if (!(error instanceof ContextOverflowError)) throw error;
      step.emit({ type: 'run.notice', level: 'warn', source: 'model', message: `${error.message}; shrinking the prompt and retrying once` });
      const retry = await this.prepare(history, step, true);
      return send(retry.messages, retry.tools);
    }
  }

  private async prepare(history: ChatMessage[], step: StepInput, overflow: boolean): Promise<{ messages: ChatMessage[]; tools: ToolSpec[] }> {
    const base = { ...step, freshPrefix: false, offeredTools: this.tools ?? [], ...(overflow ? { overflow } : {}) };
    let messages = history;
    for (const hook of this.hooks) {
      if (hook.prepareMessages) messages = await named(hook, () => hook.prepareMessages!(messages, base));
    }
    const context: StepContext = { ...base, freshPrefix: !extendsPrefix(this.previous, messages) };
    let tools = this.registry.specs();
    for (const hook of this.hooks) {
      if (hook.selectTools) tools = await named(hook, () => hook.selectTools!(tools, messages, context));
    }
    this.previous = messages;
    this.tools = tools;
    return { messages, tools };
  }
}

/** True when `next` starts with every message of `previous` (the server can reuse what it evaluated). */
export function extendsPrefix(previous: readonly ChatMessage[] | undefined, next: readonly ChatMessage[]): boolean {
  if (!previous || next.length < previous.length) return false;
  return previous.every((m, i) => m === next[i] || sameMessage(m, next[i]!));
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  if (a.role !== b.role || a.content !== b.content) return false;
  if (a.role === 'assistant' && b.role === 'assistant') return JSON.stringify(a.toolCalls ?? []) === JSON.stringify(b.toolCalls ?? []);
  return true;
}
