// The RuntimeApi the UI talks to: the Electron preload bridge when present, else the web transport.
import type { RuntimeApi } from '../../common/index.ts';
import { createWsClient } from './ws-client.ts';

let client: RuntimeApi | undefined;

export function getClient(): RuntimeApi {
  client ??= window.rein ?? createWsClient();
  return client;
}

/** Error text without Electron's "Error invoking remote method 'rein:x': Error: " wrapper. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}
