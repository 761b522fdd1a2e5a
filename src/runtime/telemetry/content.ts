// What content may leave in a span: nothing unless telemetry.capture_content is on; then redacted with the same
// redactor as traces and the audit log, and capped per attribute. Messages use the GenAI conventions' JSON shape.
import type { Redactor } from '../base/index.ts';
import type { ChatMessage } from '../model/index.ts';

/** Longest content attribute, in characters; longer text is cut with a visible marker. */
export const MAX_CONTENT_CHARS = 16_000;

export class ContentGate {
  readonly capture: boolean;
  private readonly redact: Redactor;

  constructor(capture: boolean, redact: Redactor) {
    this.capture = capture;
    this.redact = redact;
  }

  /** The text as it may be exported, or undefined when content is not captured. */
  text(value: string | undefined): string | undefined {
    if (!this.capture || value === undefined) return undefined;
    return cap(this.redact(value)); // redacted first: a secret across the cut must not leave half-masked
  }

  /** A JSON value (tool arguments), serialised, redacted and capped. */
  json(value: unknown): string | undefined {
    if (!this.capture) return undefined;
    return this.text(typeof value === 'string' ? value : JSON.stringify(value ?? null));
  }

  /** Chat messages in the conventions' shape: `[{role, parts: [{type, content | name, arguments | response}]}]`. */
  messages(messages: readonly ChatMessage[]): { system?: string; input?: string } {
    if (!this.capture) return {};
    const system = messages.filter((m) => m.role === 'system').map((m) => ({ type: 'text', content: m.content }));
    const input = messages.filter((m) => m.role !== 'system').map(messageParts);
    return { ...(system.length ? { system: this.json(system) } : {}), input: this.json(input) };
  }

  /** One assistant message (an answer, or a turn's text) as `gen_ai.output.messages`. */
  output(text: string, finishReason: string): string | undefined {
    if (!this.capture) return undefined;
    return this.json([{ role: 'assistant', parts: text ? [{ type: 'text', content: text }] : [], finish_reason: finishReason }]);
  }
}

function messageParts(message: Exclude<ChatMessage, { role: 'system' }>): { role: string; parts: Record<string, unknown>[] } {
  if (message.role === 'tool') return { role: 'tool', parts: [{ type: 'tool_call_response', id: message.callId, response: message.content }] };
  const text = message.content ? [{ type: 'text', content: message.content }] : [];
  if (message.role === 'user') return { role: 'user', parts: text };
  const calls = (message.toolCalls ?? []).map((call) => ({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments }));
  return { role: 'assistant', parts: [...text, ...calls] };
}

function cap(text: string): string {
  return text.length <= MAX_CONTENT_CHARS ? text : `${text.slice(0, MAX_CONTENT_CHARS)}… [${text.length - MAX_CONTENT_CHARS} more characters]`;
}
