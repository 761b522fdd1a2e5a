import { AbortedError } from '../../base/index.ts';
import { ContextOverflowError, ModelNotFoundError, ModelResponseError, ModelUnreachableError, connectionFailure } from '../errors.ts';

/** Turns whatever the ollama client threw into one of the model layer's errors. */
export function mapOllamaError(error: unknown, context: { host: string; model: string; signal?: AbortSignal }): Error {
  if (context.signal?.aborted) {
    const reason: unknown = context.signal.reason;
    return reason instanceof Error ? reason : new AbortedError();
  }
  if (!(error instanceof Error)) return new ModelResponseError(String(error), { transient: false });
  if (error.name === 'AbortError') return new AbortedError();
  const status = (error as { status_code?: unknown }).status_code;
  if (typeof status === 'number') return fromStatus(status, error, context);
  const connection = connectionFailure(error);
  if (connection) {
    return new ModelUnreachableError(`Ollama is not reachable at ${context.host} — start it with \`ollama serve\` (${connection.detail})`, { transient: connection.transient, cause: error });
  }
  if (/did not receive done/i.test(error.message)) {
    return new ModelResponseError('Ollama closed the stream before it finished (the model runner may have crashed)', { transient: true, cause: error });
  }
  return new ModelResponseError(`Ollama reported an error during generation: ${error.message}`, { transient: true, cause: error });
}

function fromStatus(status: number, error: Error, context: { host: string; model: string }): Error {
  if (status === 404 && /not found|pull/i.test(error.message)) {
    return new ModelNotFoundError(`model "${context.model}" is not pulled — run \`ollama pull ${context.model}\``, { cause: error });
  }
  if (status === 400 && /exceeds? (the )?(model'?s? )?context (length|window)/i.test(error.message)) {
    const loaded = /context length[^0-9]{0,20}(\d+)/i.exec(error.message)?.[1];
    return new ContextOverflowError(`the prompt does not fit the context Ollama loaded for ${context.model}: ${error.message}`, { ...(loaded ? { contextWindow: Number(loaded) } : {}), cause: error });
  }
  const transient = status === 429 || status === 408 || status >= 500;
  return new ModelResponseError(`Ollama at ${context.host} answered HTTP ${status}: ${error.message}`, { status, transient, cause: error });
}
