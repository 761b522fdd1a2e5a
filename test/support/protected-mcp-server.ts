// A real MCP server (the SDK's Server + StreamableHTTPServerTransport, stateless) behind real auth:
// OAuth (its own tiny authorization server: metadata, registration, consent by immediate redirect, PKCE
// token exchange, refresh) or mTLS (node:https requiring a client certificate signed by `ca`).
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export interface ProtectedServer {
  url: string;
  /** What the authorization server saw (grant types of token requests, authorize requests). */
  log: { authorize: number; tokens: string[]; registrations: number };
  /** Access tokens issued so far (to prove none leaked into files). */
  issued: string[];
  /** Make every current access token invalid (as if expired), refresh tokens stay valid. */
  expireAccessTokens(): void;
  /** Revoke every refresh token. */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

export interface ProtectedOptions {
  oauth?: { denyConsent?: boolean; noRegistration?: boolean; /** tools/call needs this scope (403 insufficient_scope otherwise). */ callScope?: string };
  tls?: { cert: string; key: string; ca: string };
}

export async function startProtectedServer(options: ProtectedOptions): Promise<ProtectedServer> {
  const log = { authorize: 0, tokens: [] as string[], registrations: 0 };
  /** Token → its scope. */
  const valid = new Map<string, string>();
  const refresh = new Map<string, string>();
  const codeScopes = new Map<string, string>();
  const issued: string[] = [];
  const challenges = new Map<string, string>();
  const sse = new Map<string, SSEServerTransport>();
  let base = '';

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
    };
    if (options.oauth) {
      if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return json(200, { resource: base, authorization_servers: [base] });
      if (url.pathname === '/.well-known/oauth-authorization-server') {
        return json(200, {
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          ...(options.oauth.noRegistration ? {} : { registration_endpoint: `${base}/register` }),
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      }
      if (url.pathname === '/register') {
        log.registrations++;
        return json(201, { ...JSON.parse(body), client_id: `client-${log.registrations}` });
      }
      if (url.pathname === '/authorize') {
        log.authorize++;
        const back = new URL(url.searchParams.get('redirect_uri')!);
        if (options.oauth.denyConsent) back.searchParams.set('error', 'access_denied');
        else {
          const code = randomBytes(8).toString('hex');
          challenges.set(code, url.searchParams.get('code_challenge') ?? '');
          codeScopes.set(code, url.searchParams.get('scope') ?? '');
          back.searchParams.set('code', code);
        }
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      if (url.pathname === '/token') {
        const form = new URLSearchParams(body);
        const grant = form.get('grant_type')!;
        log.tokens.push(grant);
        const scope = grant === 'authorization_code' ? (codeScopes.get(form.get('code')!) ?? '') : (refresh.get(form.get('refresh_token') ?? '') ?? '');
        if (grant === 'authorization_code') {
          const challenge = challenges.get(form.get('code')!);
          const computed = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
          if (!challenge || challenge !== computed) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        } else if (!refresh.has(form.get('refresh_token') ?? '')) {
          return json(400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
        }
        const access = `at-${randomBytes(12).toString('hex')}`;
        const refreshToken = `rt-${randomBytes(12).toString('hex')}`;
        valid.set(access, scope);
        refresh.set(refreshToken, scope);
        issued.push(access, refreshToken);
        return json(200, { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refreshToken });
      }
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      if (!token || !valid.has(token)) {
        return json(401, { error: 'invalid_token' }, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` });
      }
      const needed = options.oauth.callScope;
      if (needed && body.includes('"tools/call"') && !valid.get(token)!.split(' ').includes(needed)) {
        return json(403, { error: 'insufficient_scope' }, { 'www-authenticate': `Bearer error="insufficient_scope", scope="${needed}", resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` });
      }
    }
    // The legacy SSE transport: GET /sse opens the stream, POST /messages?sessionId=… carries requests.
    if (url.pathname === '/sse' && req.method === 'GET') {
      const transport = new SSEServerTransport('/messages', res);
      sse.set(transport.sessionId, transport);
      res.on('close', () => sse.delete(transport.sessionId));
      await mcpServer().connect(transport);
      return;
    }
    if (url.pathname === '/messages' && req.method === 'POST') {
      const transport = sse.get(url.searchParams.get('sessionId') ?? '');
      if (!transport) return json(404, { error: 'no such session' });
      await transport.handlePostMessage(req, res, JSON.parse(body));
      return;
    }
    if (url.pathname !== '/mcp') return json(404, { error: 'not found' });
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    res.on('close', () => void server.close());
    await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
  };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => void handler(req, res).catch(() => res.writeHead(500).end());
  const server = options.tls
    ? https.createServer({ ...options.tls, requestCert: true, rejectUnauthorized: true }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/mcp`,
    log,
    issued,
    expireAccessTokens: () => valid.clear(),
    revokeRefreshTokens: () => refresh.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function mcpServer(): Server {
  const server = new Server({ name: 'protected', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [{ name: 'whoami', description: 'Says hello', inputSchema: { type: 'object' as const, properties: {} }, annotations: { readOnlyHint: true } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: 'hello, authenticated caller' }] }));
  return server;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
