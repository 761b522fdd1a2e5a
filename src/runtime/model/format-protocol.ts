// Tool use for models without native tool calling (any provider): the model answers in JSON constrained by a
// schema (Ollama's `format`, an OpenAI-compatible server's `response_format`), which names either a tool to call or the final answer.
import type { ChatMessage, ModelToolCall, ToolSpec } from './types.ts';

export const ANSWER_ACTION = 'answer';

export function formatSchema(tools: ToolSpec[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      action: { type: 'string', enum: [ANSWER_ACTION, ...tools.map((t) => t.name)] },
      arguments: { type: 'object' },
      answer: { type: 'string' },
    },
    required: ['action'],
  };
}

export function protocolPrompt(tools: ToolSpec[]): string {
  const list = tools
    .map((t) => `- ${t.name}: ${t.description}\n  arguments schema: ${JSON.stringify(t.parameters)}`)
    .join('\n');
  return [
    'You can use tools. Reply with one JSON object and nothing else.',
    'To call a tool: {"action": "<tool name>", "arguments": {…}}',
    `To give the final answer: {"action": "${ANSWER_ACTION}", "answer": "<your answer>"}`,
    'Tool results arrive as user messages that start with "Tool result".',
    'Tools:',
    list,
  ].join('\n');
}

/** Rewrites the conversation so a model without tool support can follow it. */
export function toProtocolMessages(messages: ChatMessage[], tools: ToolSpec[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const call = m.toolCalls[0]!;
      out.push({ role: 'assistant', content: JSON.stringify({ action: call.name, arguments: call.arguments }) });
    } else if (m.role === 'tool') {
      out.push({ role: 'user', content: `Tool result (${m.toolName}):\n${m.content}` });
    } else {
      out.push(m);
    }
  }
  const systemIndex = out.findIndex((m) => m.role === 'system');
  const prompt = protocolPrompt(tools);
  if (systemIndex >= 0) out[systemIndex] = { role: 'system', content: `${out[systemIndex]!.content}\n\n${prompt}` };
  else out.unshift({ role: 'system', content: prompt });
  return out;
}

export type ProtocolReply = { kind: 'answer'; text: string } | { kind: 'tool'; call: ModelToolCall };

/** Reads the model's JSON reply; anything unreadable is treated as a plain-text answer. */
export function parseProtocolReply(content: string, callId: string): ProtocolReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { kind: 'answer', text: content.trim() };
  }
  if (typeof parsed !== 'object' || parsed === null) return { kind: 'answer', text: content.trim() };
  const { action, arguments: args, answer } = parsed as Record<string, unknown>;
  if (typeof action === 'string' && action !== ANSWER_ACTION) {
    return { kind: 'tool', call: { id: callId, name: action, arguments: args ?? {} } };
  }
  return { kind: 'answer', text: typeof answer === 'string' ? answer : content.trim() };
}
