// Errors of an OpenAI-compatible server, turned into ones that say what to do: which server, and how to start it, fix
// the key, load the model or make room in the context. Each server words a "prompt too long" differently.
import { AbortedError } from '../../base/index.ts';
import { ContextOverflowError, ModelNotFoundError, ModelResponseError, ModelUnreachableError, connectionFailure } from '../errors.ts';
import type { FlavorTraits } from './flavors.ts';

export interface ServerContext {
  baseUrl: string;
  model: string;
  traits: FlavorTraits;
  hasKey: boolean;
  signal?: AbortSignal | undefined;
}

/** fetch itself failed: aborted, or no connection. */
export function requestFailure(error: unknown, context: ServerContext): Error {
  if (context.signal?.aborted) {
    const reason: unknown = context.signal.reason;
    return reason instanceof Error ? reason : new AbortedError();
  }
  if (!(error instanceof Error)) return new ModelResponseError(String(error), { transient: false });
  if (error.name === 'AbortError') return new AbortedError();
  const connection = connectionFailure(error);
  if (connection) {
    const { title, start } = context.traits;
    const name = title.replace(/^the /, 'The ');
    return new ModelUnreachableError(`${name} is not reachable at ${context.baseUrl} — ${start} (${connection.detail})`, { transient: connection.transient, cause: error });
  }
  return new ModelResponseError(`${context.traits.title} at ${context.baseUrl}: ${error.message}`, { transient: true, cause: error });
}

/** The text of an error body: `{error: "…"}` (LM Studio), `{error: {message}}` (llama.cpp, OpenAI), `{message}` (vLLM), `{detail}`. */
export function errorText(body: string): { message: string; fields: Record<string, unknown> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: body.trim().slice(0, 500) || 'no details', fields: {} };
  }
  const record = isRecord(parsed) ? parsed : {};
  const inner = isRecord(record.error) ? record.error : record;
  const message = [inner.message, record.error, record.message, record.detail].find((v) => typeof v === 'string' && v.trim());
  return { message: typeof message === 'string' ? message : body.slice(0, 500), fields: inner };
}

const OVERFLOW = [
  /exceeds? the available context size/i, // llama.cpp
  /maximum context length is \d+/i, // vLLM
  /context length of only \d+|when context the overflows/i, // LM Studio
  /exceeds? (the )?(model'?s? )?context (length|window)/i, // Ollama
  /context_length_exceeded|context window is full|prompt is too long|input is too long|too many tokens/i,
];

/** The window a server names in its overflow message (or its n_ctx field). */
function windowOf(message: string, fields: Record<string, unknown>): number | undefined {
  if (typeof fields.n_ctx === 'number' && fields.n_ctx > 0) return fields.n_ctx;
  const match =
    /available context size \((\d+) tokens?\)/i.exec(message) ??
    /maximum context length is (\d+)/i.exec(message) ??
    /context length of only (\d+)/i.exec(message) ??
    /context length[^0-9]{0,20}(\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

export function isOverflow(message: string): boolean {
  return OVERFLOW.some((pattern) => pattern.test(message));
}

/** An HTTP error status with its body; `models` lists what the server serves (for a model it does not have). */
export async function statusFailure(status: number, body: string, context: ServerContext, models: () => Promise<string[]>): Promise<Error> {
  const { message, fields } = errorText(body);
  const { title } = context.traits;
  const at = `${title} at ${context.baseUrl}`;
  if (isOverflow(message)) return overflow(message, fields, context);
  if (status === 401 || status === 403) {
    const fix = context.hasKey
      ? 'check model.api_key (an ${env:NAME} variable or keychain:NAME stored with `rein secrets set NAME`)'
      : (context.traits.keyHint ?? 'set model.api_key: ${env:NAME} (an environment variable) or keychain:NAME (stored with `rein secrets set NAME`)');
    const what = context.hasKey ? 'refused the API key' : 'needs an API key';
    return new ModelResponseError(`${at} ${what} (HTTP ${status}: ${message}) — ${fix}`, { status, transient: false });
  }
  if (status === 404 || (status === 400 && /model/i.test(message) && /not (found|exist|loaded)|does not exist|no such|unknown|invalid model/i.test(message))) {
    if (status === 404 && !/model/i.test(message)) {
      return new ModelResponseError(`${at} has no such endpoint (HTTP 404: ${message}) — is model.base_url the server's OpenAI address, usually ending in /v1?`, { status, transient: false });
    }
    const served = await models().catch(() => []);
    const list = served.length ? `it serves: ${served.join(', ')}` : 'it lists no models';
    return new ModelNotFoundError(`model "${context.model}" is not available on ${at} (${list}) — ${context.traits.addModel(context.model)}, or set model.name`);
  }
  const transient = status === 429 || status === 408 || status >= 500;
  return new ModelResponseError(`${at} answered HTTP ${status}: ${message}`, { status, transient });
}

/** An error reported inside a stream (`data: {"error": …}`, or llama.cpp's `error: {…}` line). */
export function streamFailure(text: string, context: ServerContext): Error {
  const { message, fields } = errorText(text);
  if (isOverflow(message)) return overflow(message, fields, context);
  const code = typeof fields.code === 'number' ? fields.code : undefined;
  const transient = code === undefined || code >= 500 || code === 429;
  return new ModelResponseError(`${context.traits.title} at ${context.baseUrl} reported an error during generation: ${message}`, { ...(code ? { status: code } : {}), transient });
}

function overflow(message: string, fields: Record<string, unknown>, context: ServerContext): ContextOverflowError {
  const window = windowOf(message, fields);
  return new ContextOverflowError(`the prompt does not fit the context ${context.traits.title} runs ${context.model || 'the model'} with: ${message}`, window ? { contextWindow: window } : {});
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
