// Rein's messages and tools in the OpenAI chat format.
import { createHash } from 'node:crypto';
import type { ChatMessage, ToolSpec } from '../types.ts';

export type WireMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[] }
  | { role: 'tool'; content: string; tool_call_id: string; name?: string };

export function toWireMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map((m): WireMessage => {
    if (m.role === 'assistant') {
      if (!m.toolCalls?.length) return { role: 'assistant', content: m.content };
      return {
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({ id: wireId(c.id), type: 'function', function: { name: c.name, arguments: argumentText(c.arguments) } })),
      };
    }
    if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: wireId(m.callId), name: m.toolName };
    return { role: m.role, content: m.content };
  });
}

export function toWireTools(tools: readonly ToolSpec[]) {
  return tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } }));
}

/**
 * Call ids as every chat template takes them: Mistral's (vLLM) insists on 9 letters and digits, so any other id is
 * mapped to 9 characters derived from it (the same id always maps to the same characters).
 */
export function wireId(id: string): string {
  if (/^[A-Za-z0-9]{9}$/.test(id)) return id;
  return createHash('sha256').update(id).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 9).padEnd(9, '0');
}

function argumentText(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}
