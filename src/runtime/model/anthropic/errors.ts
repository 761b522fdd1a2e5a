import { AbortedError } from '../../base/index.ts';
import { ContextOverflowError, ModelNotFoundError, ModelResponseError, ModelUnreachableError } from '../errors.ts';

/** Connection failures that may work the next time (a refused connection or an unknown host will not). */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'EPIPE']);

interface SdkError extends Error {
  status?: number;
  error?: { error?: { type?: string; message?: string } };
}

/** Turns what the SDK threw into one of the model layer's errors, with what to do about it. */
export function mapAnthropicError(error: unknown, context: { url: string; model: string; signal?: AbortSignal }): Error {
  if (context.signal?.aborted) {
    const reason: unknown = context.signal.reason;
    return reason instanceof Error ? reason : new AbortedError();
  }
  if (!(error instanceof Error)) return new ModelResponseError(String(error), { transient: false });
  if (error.name === 'APIUserAbortError' || error.name === 'AbortError') return new AbortedError();
  const sdk = error as SdkError;
  if (error.name === 'APIConnectionError' || error.name === 'APIConnectionTimeoutError') {
    const code = causeCode(error);
    const transient = error.name === 'APIConnectionTimeoutError' || (code !== undefined && TRANSIENT_CODES.has(code));
    return new ModelUnreachableError(`the Anthropic API is not reachable at ${context.url} (${code ?? error.message}) — check the network, or model.base_url for a gateway`, { transient, cause: error });
  }
  const status = sdk.status;
  const detail = sdk.error?.error?.message ?? error.message;
  if (status === 401) return new ModelResponseError(`the Anthropic API refused the key (401: ${detail}) — set model.api_key to \${env:ANTHROPIC_API_KEY} or keychain:NAME, or paste the key in the app under Settings → Model → API key`, { status, transient: false, cause: error });
  if (status === 403) return new ModelResponseError(`the Anthropic API refused access to ${context.model} (403: ${detail})`, { status, transient: false, cause: error });
  if (status === 404) return new ModelNotFoundError(`model "${context.model}" is not available on the Anthropic API (${detail}) — see \`rein models list\``, { cause: error });
  const overflow = /prompt is too long:\s*(\d+)\s*tokens\s*>\s*(\d+)/i.exec(detail);
  if ((status === 400 && (overflow || /prompt is too long|context window/i.test(detail))) || status === 413) {
    return new ContextOverflowError(`the prompt does not fit ${context.model}'s context window: ${detail}`, { ...(overflow ? { contextWindow: Number(overflow[2]) } : {}), cause: error });
  }
  if (typeof status === 'number') {
    const transient = status === 429 || status === 408 || status === 529 || status >= 500;
    return new ModelResponseError(`the Anthropic API answered HTTP ${status}: ${detail}`, { status, transient, cause: error });
  }
  // An `error` event inside the stream (e.g. overloaded_error) has no status.
  const type = sdk.error?.error?.type ?? '';
  return new ModelResponseError(`the Anthropic API reported an error during generation: ${detail}`, { transient: /overloaded|api_error|rate_limit/.test(type) || /overloaded/i.test(detail), cause: error });
}

function causeCode(error: Error): string | undefined {
  let cause: unknown = error.cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
