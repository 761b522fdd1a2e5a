// The RuntimeApi the UI talks to: one client, over the Electron preload bridge or the `rein serve` WebSocket.
import { ApiError, createApiClient, type RuntimeApi } from '../../common/index.ts';
import { createWsTransport } from './ws-client.ts';

let client: RuntimeApi | undefined;

export function getClient(): RuntimeApi {
  client ??= createApiClient(window.reinTransport ?? createWsTransport());
  return client;
}

export const isWebMode = (): boolean => !window.reinTransport;

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The capability an `unavailable` error names, if that is what it is. */
export function unavailableCapability(error: unknown): string | undefined {
  return error instanceof ApiError && error.code === 'unavailable' ? (error.capability ?? 'this capability') : undefined;
}
