/** Base class of every error the runtime raises on purpose. `name` is the concrete class name. */
export class ReinError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller aborted the operation (user stop, parent abort). */
export class AbortedError extends ReinError {
  constructor(message = 'aborted') {
    super(message);
  }
}

/** An operation ran past its time limit. */
export class TimeoutError extends ReinError {
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`${what} timed out after ${formatSeconds(timeoutMs)}`);
    this.timeoutMs = timeoutMs;
  }
}

export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
