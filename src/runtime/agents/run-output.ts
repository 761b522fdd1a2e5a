// The structured result of `run_agent`, shared by the server (producing) and the spawner (reading).
import type { RunStatus, Usage } from '../../common/index.ts';
import { SubagentError } from './errors.ts';

export interface RunOutput {
  status: RunStatus;
  answer?: string;
  reason?: string;
  steps: number;
  usage: Usage;
  sessionId: string;
}

export function parseRunOutput(reply: { structuredContent?: unknown; isError?: boolean; content?: unknown }): {
  status: RunStatus;
  answer?: string;
  error?: string;
  steps: number;
  usage: Usage;
  sessionId: string;
} {
  const output = reply.structuredContent as RunOutput | undefined;
  if (!output || typeof output.status !== 'string') {
    const text = Array.isArray(reply.content) ? reply.content.map((c: { text?: string }) => c.text ?? '').join('\n') : '';
    throw new SubagentError(`run_agent returned no result${text ? `: ${text}` : ''}`);
  }
  return {
    status: output.status,
    ...(output.answer !== undefined ? { answer: output.answer } : {}),
    ...(output.reason ? { error: output.reason } : {}),
    steps: output.steps,
    usage: output.usage,
    sessionId: output.sessionId,
  };
}
