// Request checks of `rein serve`: Host and Origin (DNS-rebinding protection) and the bearer token.
import type http from 'node:http';
import { sameToken } from './token.ts';

/** WebSocket subprotocols: the client offers both; the token rides in the second (browsers cannot set headers). */
export const WS_PROTOCOL = 'rein.v1';
export const WS_TOKEN_PREFIX = 'bearer.';

export interface Guard {
  /** `host:port` values a request may name in its Host header. */
  hosts: Set<string>;
  /** Origins a browser request may come from. */
  origins: Set<string>;
  token: string;
  /** The host's local socket (Unix domain socket / named pipe): no browser reaches it, so Host means nothing there. */
  local?: boolean;
}

export function createGuard(bindHost: string, port: number, token: string): Guard {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', bindHost.includes(':') ? `[${bindHost}]` : bindHost]);
  const hosts = new Set([...names].map((name) => `${name}:${port}`));
  return { hosts, origins: new Set([...hosts].map((host) => `http://${host}`)), token };
}

/** Over the local socket: any Host, no Origin at all (a request carrying one did not come from a local client). */
export function createLocalGuard(token: string): Guard {
  return { hosts: new Set(), origins: new Set(), token, local: true };
}

/** Why a request is refused (with its HTTP status), or undefined when it may proceed. */
export function checkHostAndOrigin(req: http.IncomingMessage, guard: Guard): { status: number; message: string } | undefined {
  if (guard.local) return req.headers.origin === undefined ? undefined : { status: 403, message: 'refused: browser requests are not served on the local socket' };
  const host = req.headers.host?.toLowerCase();
  if (!host || !guard.hosts.has(host)) return { status: 421, message: `refused: Host "${host ?? ''}" is not this server (DNS rebinding protection)` };
  const origin = req.headers.origin;
  if (origin !== undefined && !guard.origins.has(origin.toLowerCase())) return { status: 403, message: `refused: Origin "${origin}" is not allowed` };
  return undefined;
}

export function hasBearer(req: http.IncomingMessage, guard: Guard): boolean {
  const header = req.headers.authorization;
  return sameToken(header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined, guard.token);
}

export function hasWsToken(req: http.IncomingMessage, guard: Guard): boolean {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(WS_PROTOCOL)) return false;
  const bearer = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX));
  return sameToken(bearer?.slice(WS_TOKEN_PREFIX.length), guard.token);
}
