// `rein mcp --http <port>`: Streamable HTTP on 127.0.0.1 only, a bearer token on every request, and Host/Origin
// checked against DNS rebinding. One MCP session per client, each with its own McpServer over the shared runtime.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../base/index.ts';
import { McpServeError } from './errors.ts';
import type { ReinMcpHarness } from './server.ts';
import { tokenMatches } from './token.ts';

export interface HttpServeOptions {
  port: number;
  token: string;
}

export interface HttpServing {
  url: string;
  close(): Promise<void>;
}

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function serveHttp(harness: ReinMcpHarness, options: HttpServeOptions): Promise<HttpServing> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, `internal error: ${errorMessage(error)}`));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const refusal = refuse(req, options.token);
    if (refusal) return reply(res, refusal.status, refusal.message, refusal.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') return reply(res, 404, 'not found: the MCP endpoint is /mcp');
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (body instanceof Error) return reply(res, 400, body.message);
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (typeof sessionId === 'string') return reply(res, 404, `unknown MCP session "${sessionId}"`);
      if (!isInitializeRequest(body)) return reply(res, 400, 'no MCP session: send initialize first');
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (id) => void sessions.set(id, created) });
      created.onclose = () => {
        if (created.sessionId) sessions.delete(created.sessionId);
      };
      await harness.createServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new McpServeError(`cannot listen on 127.0.0.1:${options.port}: ${errorMessage(error)}`)));
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Host and Origin must name this machine (DNS rebinding); then the bearer token must match. */
function refuse(req: http.IncomingMessage, token: string): { status: number; message: string } | undefined {
  if (!isLocal(req.headers.host)) return { status: 403, message: `forbidden: Host "${req.headers.host ?? ''}" is not this machine` };
  const origin = req.headers.origin;
  if (origin !== undefined && !isLocal(hostOf(origin))) return { status: 403, message: `forbidden: Origin "${origin}" is not allowed` };
  if (!tokenMatches(req.headers.authorization, token)) return { status: 401, message: 'unauthorized: send "Authorization: Bearer <token>" (the token is in <data dir>/mcp-token)' };
  return undefined;
}

function isLocal(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return LOCAL_HOSTNAMES.has(name.toLowerCase());
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return resolve(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        resolve(new Error(`request body is not JSON: ${errorMessage(error)}`));
      }
    });
    req.on('error', (error) => resolve(error));
  });
}

function reply(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
