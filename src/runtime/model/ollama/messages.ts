import type { Message, Tool } from 'ollama';
import type { ChatMessage, ToolSpec } from '../types.ts';

export function toOllamaMessages(messages: ChatMessage[]): Message[] {
  return messages.map((m) => {
    if (m.role === 'assistant') {
      return {
        role: 'assistant',
        content: m.content,
        ...(m.toolCalls?.length
          ? { tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: asObject(c.arguments) } })) }
          : {}),
      };
    }
    if (m.role === 'tool') return { role: 'tool', content: m.content, tool_name: m.toolName };
    return { role: m.role, content: m.content };
  });
}

export function toOllamaTools(tools: ToolSpec[]): Tool[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters as Tool['function']['parameters'] },
  }));
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // fall through
    }
  }
  return { value };
}
