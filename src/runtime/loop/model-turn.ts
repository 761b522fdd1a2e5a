// One model call: streams deltas as events, collects tool calls and usage, under the step timeout.
import type { RunEventInput, Usage } from '../../common/index.ts';
import { withTimeout } from '../base/index.ts';
import type { ChatMessage, ModelClient, ModelToolCall, ProviderReplay, ToolSpec } from '../model/index.ts';

export interface ModelTurn {
  text: string;
  toolCalls: ModelToolCall[];
  usage: Usage;
  durationMs: number;
  /** Given back with this turn's message in the next request (the provider's own blocks, e.g. signed thinking). */
  replay?: ProviderReplay;
}

export async function modelTurn(params: {
  model: ModelClient;
  messages: ChatMessage[];
  tools: ToolSpec[];
  step: number;
  timeoutMs: number;
  signal: AbortSignal;
  emit: (event: RunEventInput) => void;
}): Promise<ModelTurn> {
  const { step, emit } = params;
  const started = performance.now();
  const { signal, dispose } = withTimeout(params.signal, params.timeoutMs, `model step ${step}`);
  const turn: ModelTurn = { text: '', toolCalls: [], usage: { promptTokens: 0, completionTokens: 0 }, durationMs: 0 };
  try {
    const stream = params.model.chat({
      messages: params.messages,
      tools: params.tools,
      signal,
      onRetry: ({ attempt, delayMs, error }) =>
        emit({ type: 'model.retry', step, attempt, delayMs, error: error.message }),
    });
    for await (const chunk of stream) {
      if (chunk.type === 'text') {
        turn.text += chunk.text;
        emit({ type: 'model.delta', step, text: chunk.text });
      } else if (chunk.type === 'thinking') {
        emit({ type: 'model.thinking', step, text: chunk.text });
      } else if (chunk.type === 'tool_call') {
        turn.toolCalls.push({ ...chunk.call, id: `s${step}_${chunk.call.id}` });
      } else if (chunk.type === 'done') {
        turn.usage = chunk.usage;
        if (chunk.replay) turn.replay = chunk.replay;
      }
    }
    // A stream that ends because the signal fired must not look like a finished turn.
    if (signal.aborted) throw signal.reason;
  } finally {
    dispose();
  }
  turn.durationMs = Math.round(performance.now() - started);
  const { provider, location: host, model } = params.model;
  emit({ type: 'model.completed', step, provider, host, model, usage: turn.usage, toolCalls: turn.toolCalls.length, durationMs: turn.durationMs });
  return turn;
}
