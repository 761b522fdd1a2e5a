// `rein serve`: the API contract over HTTP + WebSocket, and the built renderer, on loopback by default.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ApiErrorCode, RuntimeApi } from '../common/index.ts';
import { identityProof } from '../host/discovery.ts';
import { callApi } from '../runtime/index.ts';
import { WS_PROTOCOL, checkHostAndOrigin, createGuard, createLocalGuard, hasBearer, hasWsToken, type Guard } from './guards.ts';
import { send, serveStatic } from './static-files.ts';
import { serveSocket } from './ws-session.ts';

/** The largest legitimate call (a big `skills.save`: the whole file's text, JSON-escaped) fits with room to spare. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Frames above this are cut off by the WebSocket layer (close 1009); between the two, the call gets an error reply. */
const MAX_FRAME_BYTES = 2 * MAX_MESSAGE_BYTES;
const STATUS: Record<ApiErrorCode, number> = { bad_request: 400, not_found: 404, unavailable: 501, failed: 500 };

export interface ServeOptions {
  api: RuntimeApi;
  token: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  version?: string;
  /** Also serve the same API on this local socket (Unix domain socket / named pipe); the caller removes stale files. */
  socketPath?: string;
}

export interface RunningServer {
  /** http://host:port (no token). */
  url: string;
  port: number;
  socketPath?: string;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const ready: { guard?: Guard } = {}; // set once the port is known
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });
  const server = createHttpServer(() => ready.guard, wss, options);
  await listen(server, (s, done) => s.listen(options.port ?? 0, host, done));
  const { port } = server.address() as AddressInfo;
  ready.guard = createGuard(host, port, options.token);
  const servers = [server];
  if (options.socketPath) {
    const localGuard = createLocalGuard(options.token);
    const local = createHttpServer(() => localGuard, wss, options);
    try {
      await listenOnSocket(local, options.socketPath);
    } catch (error) {
      await closeServer(server);
      throw error;
    }
    servers.push(local);
  }
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    ...(options.socketPath ? { socketPath: options.socketPath } : {}),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await Promise.all(servers.map(closeServer));
    },
  };
}

/** One HTTP server (TCP or local socket): the API, the event socket and the renderer, behind `guard()`. */
function createHttpServer(guard: () => Guard | undefined, wss: WebSocketServer, options: ServeOptions): http.Server {
  const server = http.createServer((req, res) => {
    const current = guard();
    if (!current) return send(res, 503, 'starting');
    // A server never dies of input: whatever a handler throws (synchronously or not) is answered as a 500.
    handleHttp(req, res, current, options).catch((error: unknown) => failed(res, error));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('upgrade', (req, socket, head) => {
    const current = guard();
    const refused = !current ? { status: 503, message: 'starting' } : checkHostAndOrigin(req, current) ?? (hasWsToken(req, current) ? undefined : { status: 401, message: 'missing or wrong token' });
    if (refused || new URL(req.url ?? '/', 'http://x').pathname !== '/api/ws') {
      const { status, message } = refused ?? { status: 404, message: 'not found' };
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}`);
      return;
    }
    socket.on('error', () => socket.destroy());
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        serveSocket(ws, options.api, MAX_MESSAGE_BYTES);
      });
    } catch {
      socket.destroy();
    }
  });
  return server;
}

function listen(server: http.Server, start: (server: http.Server, done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    start(server, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The socket file is private to its user (0600); a named pipe needs no file. */
async function listenOnSocket(server: http.Server, socketPath: string): Promise<void> {
  const unix = process.platform !== 'win32';
  const mask = unix ? process.umask(0o177) : 0;
  try {
    await listen(server, (s, done) => s.listen(socketPath, done));
  } finally {
    if (unix) process.umask(mask);
  }
  if (unix) fs.chmodSync(socketPath, 0o600);
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse, guard: Guard, options: ServeOptions): Promise<void> {
  const refused = checkHostAndOrigin(req, guard);
  if (refused) return send(res, refused.status, { error: refused.message });
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://x');
  if (pathname === '/health') {
    // `?challenge=…`: the host proves it holds the data dir's token (clients check before they send anything).
    const challenge = searchParams.get('challenge');
    const proof = challenge && /^[0-9a-f]{16,128}$/.test(challenge) ? { proof: identityProof(options.token, challenge) } : {};
    return send(res, 200, { ok: true, name: 'rein', version: options.version ?? '0', ...proof });
  }
  if (pathname.startsWith('/api/')) {
    if (!hasBearer(req, guard)) return send(res, 401, { error: 'missing or wrong bearer token (Authorization: Bearer <token>)' });
    if (req.method !== 'POST') return send(res, 405, { error: 'API calls are POST /api/<method> with {"args": [...]}' });
    const body = await readJson(req);
    if (!body.ok) return send(res, 400, { error: body.error });
    const result = await callApi(options.api, pathname.slice('/api/'.length), (body.value as { args?: unknown } | null)?.args ?? []);
    return send(res, result.ok ? 200 : STATUS[result.error.code], result);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
  serveStatic(options.rendererDir, pathname, res);
}

function failed(res: http.ServerResponse, error: unknown): void {
  process.stderr.write(`rein serve: request failed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (res.headersSent) return void res.destroy();
  try {
    send(res, 500, { error: 'internal error' });
  } catch {
    res.destroy();
  }
}

function readJson(req: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) {
        resolve({ ok: false, error: 'request body too large' });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve({ ok: true, value: text ? JSON.parse(text) : {} });
      } catch {
        resolve({ ok: false, error: 'the body must be JSON: {"args": [...]}' });
      }
    });
    req.on('error', () => resolve({ ok: false, error: 'request failed' }));
  });
}
