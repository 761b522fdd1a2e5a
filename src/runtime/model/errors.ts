import { ReinError } from '../base/index.ts';

/** The model server cannot be reached. Refused or unknown hosts fail at once; a cut connection or timeout may be retried. */
export class ModelUnreachableError extends ReinError {
  readonly transient: boolean;
  constructor(message: string, options: { transient?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.transient = options.transient ?? false;
  }
}

/** The configured model is not available on the server. */
export class ModelNotFoundError extends ReinError {}

/** The server answered with an error (HTTP status or an error line in the stream). */
export class ModelResponseError extends ReinError {
  readonly status: number | undefined;
  readonly transient: boolean;
  constructor(message: string, options: { status?: number; transient: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.transient = options.transient;
  }
}

export function isTransient(error: unknown): boolean {
  return (error instanceof ModelUnreachableError || error instanceof ModelResponseError) && error.transient;
}

/** The prompt does not fit the context the server loaded (Ollama with `truncate: false`); nothing was generated. */
export class ContextOverflowError extends ReinError {
  readonly contextWindow: number | undefined;
  constructor(message: string, options: { contextWindow?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.contextWindow = options.contextWindow;
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
/** A connection cut mid-way or timing out may work the next time; a refused one (the server is not running) will not. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** What a failed fetch says about the connection (undefined: it was not a connection failure). */
export function connectionFailure(error: Error): { detail: string; transient: boolean } | undefined {
  const cause = error.cause as { code?: string; message?: string; errors?: { code?: string }[] } | undefined;
  const code = cause?.code ?? cause?.errors?.find((e) => e.code)?.code;
  if (code && UNREACHABLE_CODES.has(code)) return { detail: code, transient: TRANSIENT_CODES.has(code) };
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return { detail: code ?? cause?.message ?? error.message, transient: false };
  return undefined;
}
