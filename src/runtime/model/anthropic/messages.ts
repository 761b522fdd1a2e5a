// Rein's chat messages → the Messages API: system prompt apart, strict user/assistant alternation, tool results as
// user blocks, the assistant's own blocks echoed verbatim within the current tool cycle (signed thinking), every
// tool_use answered by a tool_result, and cache breakpoints on the stable prefix and on the newest message.
import type { ChatMessage, ToolSpec } from '../types.ts';

type CacheControl = { type: 'ephemeral' };
const CACHE: CacheControl = { type: 'ephemeral' };

type Block = { type: string; cache_control?: CacheControl; [key: string]: unknown };
export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
  cache_control?: CacheControl;
}

export interface AnthropicPrompt {
  system: { type: 'text'; text: string; cache_control?: CacheControl }[];
  messages: AnthropicMessage[];
  tools: AnthropicTool[];
}

export const PROVIDER = 'anthropic';
const NOT_RUN = '(this call was not run)';

/**
 * `echo: false` rebuilds every assistant message from its text and calls (no thinking blocks), for a history whose
 * blocks were lost (a run resumed after a crash) when the API insists on them: the current tool cycle is then told
 * as text instead.
 */
export function toAnthropicPrompt(messages: readonly ChatMessage[], tools: readonly ToolSpec[], options: { echo?: boolean } = {}): AnthropicPrompt {
  const echo = options.echo ?? true;
  const system: AnthropicPrompt['system'] = messages.filter((m) => m.role === 'system' && m.content.trim()).map((m) => ({ type: 'text' as const, text: m.content }));
  // The tool cycle in progress: everything after the last answer without tool calls (the loop's own notes included).
  const cycleStart = messages.findLastIndex((m) => m.role === 'assistant' && !m.toolCalls?.length);
  const ids = new Map<string, string>(); // Rein's call id → the id the API gave the tool_use it echoes
  const out: AnthropicMessage[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (!blocks.length) return;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  messages.forEach((message, index) => {
    if (message.role === 'system') return;
    if (message.role === 'user') return push('user', text(message.content));
    if (message.role === 'tool') return push('user', [{ type: 'tool_result', tool_use_id: ids.get(message.callId) ?? safeId(message.callId), content: message.content || '(no output)' }]);
    const inCycle = index > cycleStart && Boolean(message.toolCalls?.length);
    const replay = inCycle && echo && message.replay?.provider === PROVIDER ? (message.replay.content as Block[]) : [];
    if (replay.length) {
      const uses = replay.filter((block) => block.type === 'tool_use');
      (message.toolCalls ?? []).forEach((call, i) => uses[i] && ids.set(call.id, String(uses[i].id)));
      return push('assistant', replay.map((block) => ({ ...block })));
    }
    if (inCycle && !echo) {
      // Told as text: the calls here, their results (orphans now) as text below; nothing needs a signature.
      const calls = (message.toolCalls ?? []).map((c) => `[called ${c.name} ${JSON.stringify(c.arguments)}]`).join('\n');
      return push('assistant', text(`${message.content}\n${calls}`.trim()));
    }
    push('assistant', [...text(message.content), ...(message.toolCalls ?? []).map((call) => ({ type: 'tool_use', id: safeId(call.id), name: call.name, input: inputOf(call.arguments) }))]);
  });
  const paired = pairToolResults(out);
  // The API wants the conversation to start with the user (a history cut to fit may start with an answer).
  if (paired[0]?.role === 'assistant') paired.unshift({ role: 'user', content: [{ type: 'text', text: '(earlier conversation)' }] });
  const anthropicTools = tools.map((t): AnthropicTool => ({ name: t.name, description: t.description, input_schema: schemaOf(t.parameters) }));
  if (system.length) system[system.length - 1] = { ...system.at(-1)!, cache_control: CACHE };
  else if (anthropicTools.length) anthropicTools[anthropicTools.length - 1] = { ...anthropicTools.at(-1)!, cache_control: CACHE };
  const newest = paired.at(-1)?.content;
  const mark = newest ? newest.findLastIndex((block) => ['text', 'tool_result', 'tool_use'].includes(block.type)) : -1;
  if (newest && mark >= 0) newest[mark] = { ...newest[mark]!, cache_control: CACHE };
  return { system, messages: paired, tools: anthropicTools };
}

/**
 * The API refuses a tool_use not answered in the next user message (results first) and a tool_result that answers
 * nothing: a missing result (a call dropped by the per-turn cap, or cut off) says it was not run; an orphan result
 * becomes text.
 */
function pairToolResults(messages: AnthropicMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  const usesOf = (message: AnthropicMessage | undefined) => (message?.role === 'assistant' ? message.content.filter((b) => b.type === 'tool_use').map((b) => String(b.id)) : []);
  const answer = (uses: string[], content: Block[]): Block[] => {
    const results = content.filter((b) => b.type === 'tool_result' && uses.includes(String(b.tool_use_id)));
    const answered = new Set(results.map((b) => String(b.tool_use_id)));
    const missing = uses.filter((id) => !answered.has(id)).map((id): Block => ({ type: 'tool_result', tool_use_id: id, content: NOT_RUN }));
    const rest = content.filter((b) => !results.includes(b)).map((b) => (b.type === 'tool_result' ? { type: 'text', text: `Tool result: ${String(b.content)}` } : b));
    return [...results, ...missing, ...rest];
  };
  for (const message of messages) {
    out.push(message.role === 'user' ? { role: 'user', content: answer(usesOf(out.at(-1)), message.content) } : message);
  }
  const dangling = usesOf(out.at(-1));
  if (dangling.length) out.push({ role: 'user', content: answer(dangling, []) });
  return out;
}

function text(content: string): Block[] {
  return content.trim() ? [{ type: 'text', text: content }] : [];
}

/** Tool-use ids must match ^[a-zA-Z0-9_-]+$ (ids from other providers may not). */
function safeId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_') || 'call';
}

/** The model's own arguments, as an object: a JSON string is parsed, anything else is wrapped so it is not lost. */
function inputOf(args: unknown): Record<string, unknown> {
  if (typeof args === 'string') {
    try {
      const parsed: unknown = JSON.parse(args);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // not JSON: kept as text below
    }
    return { input: args };
  }
  return args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

/** input_schema must be an object schema. */
function schemaOf(parameters: Record<string, unknown>): Record<string, unknown> {
  return parameters.type === 'object' ? parameters : { type: 'object', properties: {}, ...parameters };
}
