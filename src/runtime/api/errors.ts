// Errors of the API layer, and how any error crosses a transport.
import type { ApiErrorData, CapabilityName } from '../../common/index.ts';
import { ConfigError } from '../config/index.ts';
import { ReinError, errorMessage } from '../base/index.ts';

const LABELS: Record<CapabilityName, string> = { approvals: 'Approvals', skills: 'Skills', memory: 'Memory', mcp: 'MCP', schedules: 'Schedules', knowledge: 'Knowledge' };

/** The capability has no service in this runtime (not built in, or disabled by config). */
export class CapabilityUnavailableError extends ReinError {
  readonly capability: CapabilityName;
  constructor(capability: CapabilityName) {
    super(`${LABELS[capability]} is not enabled in this build/config`);
    this.capability = capability;
  }
}

/** A call with arguments that do not fit the contract. */
export class ApiArgumentError extends ReinError {}

/** The id or name a call refers to does not exist. */
export class ApiNotFoundError extends ReinError {}

export function toApiError(error: unknown): ApiErrorData {
  if (error instanceof CapabilityUnavailableError) return { code: 'unavailable', message: error.message, capability: error.capability };
  if (error instanceof ApiArgumentError || error instanceof ConfigError) return { code: 'bad_request', message: error.message };
  if (error instanceof ApiNotFoundError) return { code: 'not_found', message: error.message };
  return { code: 'failed', message: errorMessage(error) };
}
