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
