// Rein's conversation as node-llama-cpp's chat history: a tool call and its result travel together (the result is
// part of the call), so the chat wrapper renders them in the model's own syntax.
import type { ChatMessage } from '../types.ts';
import type { HistoryItem } from './protocol.ts';

type FunctionCallItem = { type: 'functionCall'; name: string; params: unknown; result: unknown };

export function toHistory(messages: readonly ChatMessage[]): HistoryItem[] {
  const history: HistoryItem[] = [];
  const calls = new Map<string, FunctionCallItem>();
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'user') history.push({ type: message.role, text: message.content });
    else if (message.role === 'assistant') {
      const response: (string | FunctionCallItem)[] = message.content ? [message.content] : [];
      for (const call of message.toolCalls ?? []) {
        const item: FunctionCallItem = { type: 'functionCall', name: call.name, params: asParams(call.arguments), result: '' };
        calls.set(call.id, item);
        response.push(item);
      }
      history.push({ type: 'model', response });
    } else {
      const call = calls.get(message.callId);
      // A result whose call is not in the history (cut to fit the context) is shown as the user passing it on.
      if (call) call.result = message.content;
      else history.push({ type: 'user', text: `Tool result (${message.toolName}):\n${message.content}` });
    }
  }
  return history;
}

function asParams(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return { value };
  }
}
