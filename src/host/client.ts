// A Node client of a running host: the API contract over one WebSocket (the local socket when there is one, else
// loopback TCP), authenticated with the host's token. Calls and pushed events share the connection.
import WebSocket from 'ws';
import { createApiClient, type ApiTransport } from '../common/api/client.ts';
import type { ApiResult } from '../common/api/errors.ts';
import type { ApiEvent } from '../common/api/events.ts';
import type { RuntimeApi } from '../common/api/methods.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../server/guards.ts';
import type { HostInfo } from './discovery.ts';

export interface HostConnection {
  api: RuntimeApi;
  info: HostInfo;
  /** Resolves when the connection ends (closed by us, or the host went away). */
  closed: Promise<void>;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Where to open the WebSocket: the local socket on Unix, loopback TCP otherwise (a named pipe has no ws URL). */
export function hostSocketUrl(info: HostInfo): string {
  if (info.socket && process.platform !== 'win32') return `ws+unix://${info.socket}:/api/ws`;
  return `${info.url.replace(/^http/, 'ws')}/api/ws`;
}

export async function connectHost(info: HostInfo): Promise<HostConnection> {
  const socket = new WebSocket(hostSocketUrl(info), [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${info.token}`], { handshakeTimeout: CONNECT_TIMEOUT_MS });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) => reject(new Error(`cannot reach the Rein host (pid ${info.pid}) at ${info.socket ?? info.url}: ${error.message}`)));
  });
  socket.on('error', () => undefined); // a broken connection ends in 'close', handled below
  const pending = new Map<number, (result: ApiResult) => void>();
  const listeners = new Set<(event: ApiEvent) => void>();
  let nextId = 1;
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      for (const settle of pending.values()) settle({ ok: false, error: { code: 'unavailable', message: 'the Rein host closed the connection' } });
      pending.clear();
      resolve();
    });
  });
  socket.on('message', (data) => {
    let message: { id?: number; result?: ApiResult; event?: ApiEvent };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return;
    }
    if (message.event) for (const listener of listeners) listener(message.event);
    else if (typeof message.id === 'number' && message.result) {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  const transport: ApiTransport = {
    invoke: (method, args) =>
      new Promise((resolve) => {
        if (socket.readyState !== WebSocket.OPEN) return resolve({ ok: false, error: { code: 'unavailable', message: 'not connected to the Rein host' } });
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, args }));
      }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { api: createApiClient(transport), info, closed, close: () => socket.close() };
}
