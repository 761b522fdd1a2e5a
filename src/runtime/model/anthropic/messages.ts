// Rein's chat messages → the Messages API: system prompt apart, strict user/assistant alternation, tool results as
// user blocks, and cache breakpoints on the stable prefix (tools + system) and on the newest message.
import type { ChatMessage, ToolSpec } from '../types.ts';

type CacheControl = { type: 'ephemeral' };
const CACHE: CacheControl = { type: 'ephemeral' };

export type TextBlock = { type: 'text'; text: string; cache_control?: CacheControl };
export type ToolUseBlock = { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; cache_control?: CacheControl };
export type ToolResultBlock = { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean; cache_control?: CacheControl };
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock;
export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
  cache_control?: CacheControl;
}

export interface AnthropicPrompt {
  system: TextBlock[];
  messages: AnthropicMessage[];
  tools: AnthropicTool[];
}

/**
 * Cached input is billed at a fraction: the tools and system prompt (stable across a run's steps and across runs)
 * end in one breakpoint, and the newest message in another, so the next step reads the whole conversation from cache.
 */
export function toAnthropicPrompt(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): AnthropicPrompt {
  const system = messages.filter((m) => m.role === 'system' && m.content.trim()).map((m): TextBlock => ({ type: 'text', text: m.content }));
  const out: AnthropicMessage[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlock[]) => {
    if (!blocks.length) return;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'system') continue;
    if (message.role === 'user') push('user', text(message.content));
    else if (message.role === 'tool') push('user', [{ type: 'tool_result', tool_use_id: callId(message.callId), content: message.content || '(no output)' }]);
    else push('assistant', [...text(message.content), ...(message.toolCalls ?? []).map((call): ToolUseBlock => ({ type: 'tool_use', id: callId(call.id), name: call.name, input: inputOf(call.arguments) }))]);
  }
  // The API wants the conversation to start with the user (a history cut to fit may start with an answer).
  if (out[0]?.role === 'assistant') out.unshift({ role: 'user', content: [{ type: 'text', text: '(earlier conversation)' }] });
  const anthropicTools = tools.map((t): AnthropicTool => ({ name: t.name, description: t.description, input_schema: schemaOf(t.parameters) }));
  if (system.length) system[system.length - 1] = { ...system.at(-1)!, cache_control: CACHE };
  else if (anthropicTools.length) anthropicTools[anthropicTools.length - 1] = { ...anthropicTools.at(-1)!, cache_control: CACHE };
  const newest = out.at(-1)?.content;
  if (newest?.length) newest[newest.length - 1] = { ...newest.at(-1)!, cache_control: CACHE };
  return { system, messages: out, tools: anthropicTools };
}

function text(content: string): TextBlock[] {
  return content.trim() ? [{ type: 'text', text: content }] : [];
}

/** Tool-use ids must match ^[a-zA-Z0-9_-]+$ (ids from other providers may not). */
function callId(id: string): string {
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
