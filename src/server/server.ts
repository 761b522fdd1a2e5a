// `rein serve`: the API contract over HTTP + WebSocket, and the built renderer, on loopback by default.
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ApiErrorCode, RuntimeApi } from '../common/index.ts';
import { callApi } from '../runtime/index.ts';
import { WS_PROTOCOL, checkHostAndOrigin, createGuard, createLocalGuard, hasBearer, hasWsToken, type Guard } from './guards.ts';
import { send, serveStatic } from './static-files.ts';
import { serveSocket } from './ws-session.ts';

const MAX_BODY_BYTES = 2 * 1024 * 1024;
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
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const ready: { guard?: Guard } = {}; // set once the port is known
  const viaSocket = new WeakSet<object>(); // connections that came in over the local socket
  const localGuard = createLocalGuard(options.token);
  const guardFor = (req: http.IncomingMessage) => (viaSocket.has(req.socket) ? localGuard : ready.guard);
  const server = http.createServer((req, res) => {
    const guard = guardFor(req);
    if (!guard) return send(res, 503, 'starting');
    void handleHttp(req, res, guard, options);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });
  server.on('upgrade', (req, socket, head) => {
    const guard = guardFor(req);
    const refused = !guard ? { status: 503, message: 'starting' } : checkHostAndOrigin(req, guard) ?? (hasWsToken(req, guard) ? undefined : { status: 401, message: 'missing or wrong token' });
    if (refused || new URL(req.url ?? '/', 'http://x').pathname !== '/api/ws') {
      const { status, message } = refused ?? { status: 404, message: 'not found' };
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveSocket(ws, options.api);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ready.guard = createGuard(host, port, options.token);
  let local: net.Server | undefined;
  if (options.socketPath) {
    try {
      local = await listenOnSocket(options.socketPath, (connection) => {
        viaSocket.add(connection);
        server.emit('connection', connection); // same HTTP server, other guard
      });
    } catch (error) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), new Promise<void>((resolve) => (local ? local.close(() => resolve()) : resolve()))]);
    },
  };
}

/** The socket file is private to its user (0600); a named pipe has no file. */
async function listenOnSocket(socketPath: string, onConnection: (connection: net.Socket) => void): Promise<net.Server> {
  const local = net.createServer(onConnection);
  const unix = process.platform !== 'win32';
  const mask = unix ? process.umask(0o177) : 0;
  try {
    await new Promise<void>((resolve, reject) => {
      local.once('error', reject);
      local.listen(socketPath, () => {
        local.off('error', reject);
        resolve();
      });
    });
  } finally {
    if (unix) process.umask(mask);
  }
  if (unix) fs.chmodSync(socketPath, 0o600);
  return local;
}

async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse, guard: Guard, options: ServeOptions): Promise<void> {
  const refused = checkHostAndOrigin(req, guard);
  if (refused) return send(res, refused.status, { error: refused.message });
  const { pathname } = new URL(req.url ?? '/', 'http://x');
  if (pathname === '/health') return send(res, 200, { ok: true, name: 'rein', version: options.version ?? '0' });
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

function readJson(req: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
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
