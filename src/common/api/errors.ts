// Errors as they cross a transport (IPC, WebSocket): a message plus a machine-readable code.

export type ApiErrorCode = 'unavailable' | 'bad_request' | 'not_found' | 'failed';

export interface ApiErrorData {
  message: string;
  code: ApiErrorCode;
  /** For `unavailable`: the capability that is missing. */
  capability?: string;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly capability: string | undefined;

  constructor(data: ApiErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    this.capability = data.capability;
  }
}

/** What a transport sends back for one call. */
export type ApiResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorData };

export function isUnavailable(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'unavailable';
}
