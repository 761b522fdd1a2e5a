// One MCP server: connect with a time limit, keep its tools, refresh on list_changed, restart with backoff
// after a crash, and explain every failure with the server's own words (stderr tail, protocol errors).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ErrorCode,
  McpError,
  type CallToolResult,
  type GetPromptResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type Tool as McpTool,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpServerState } from '../../common/index.ts';
import { abortReason, errorMessage, formatSeconds, raceAbort, sleep, TimeoutError, withTimeout } from '../base/index.ts';
import { openKeychain, type Keychain } from '../keychain/index.ts';
import { headlessAuthorizer, type Authorizer } from './auth/authorizer.ts';
import { describeTlsFailure } from './auth/mtls.ts';
import type { AuthStatus } from './auth/provider.ts';
import type { AuthEgress } from './auth/endpoints.ts';
import { ServerAuth } from './auth/server-auth.ts';
import { McpServerError } from './errors.ts';
import { StderrTail } from './stderr-tail.ts';
import { connect, type Connected } from './transports.ts';
import type { McpStatusEventTransport, ServerConfig } from './types.ts';

export const CLIENT_INFO = { name: 'rein', version: '0.1.0' };
const MAX_RESTARTS = 5;

export interface ConnectionDeps {
  baseDir: string;
  /** Installs the handlers of server-initiated requests (elicitation, sampling). */
  setupClient(client: Client, server: string): void;
  onState(connection: ServerConnection): void;
  onTools(connection: ServerConnection, tools: McpTool[]): void;
  /** First restart delay; doubles each attempt. */
  restartDelayMs?: number;
  /** Completes an OAuth sign-in (default: headless — the status says to run `rein mcp login`). */
  authorizer?: Authorizer;
  /** Where tokens and passphrases live (default: the OS keychain). */
  keychain?: Keychain;
  /** The egress rules a sign-in follows (policy.offline, policy.allow_hosts). */
  authEgress?: AuthEgress;
}

export interface CallOptions {
  signal: AbortSignal;
  timeoutMs: number;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

export class ServerConnection {
  readonly name: string;
  readonly config: ServerConfig;
  readonly stderr = new StderrTail();
  state: McpServerState = 'starting';
  reason: string | undefined;
  restarts = 0;
  kind: McpStatusEventTransport;
  private current: Connected | undefined;
  private protocolError: string | undefined;
  private closed = false;
  /** Settles once the latest connection attempt is fully cleaned up (its process stopped). */
  private attempt: Promise<unknown> = Promise.resolve();
  private readonly lifetime = new AbortController();
  private readonly deps: ConnectionDeps;
  private readonly auth: ServerAuth | undefined;

  constructor(config: ServerConfig, deps: ConnectionDeps) {
    this.name = config.name;
    this.config = config;
    this.deps = deps;
    if ('url' in config && config.auth) {
      this.auth = new ServerAuth({
        server: config.name,
        url: config.url,
        auth: config.auth,
        baseDir: deps.baseDir,
        keychain: deps.keychain ?? openKeychain(),
        authorizer: deps.authorizer ?? headlessAuthorizer,
        ...(deps.authEgress ? { egress: deps.authEgress } : {}),
      });
    }
    this.kind = 'command' in config ? 'stdio' : config.transport === 'sse' ? 'sse' : 'streamable-http';
  }

  /** Never throws: a server that cannot start ends up `failed` with the reason. `timeoutMs` overrides timeout_s (a sign-in waits for the user). */
  async start(options: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.config.enabled) return this.set('disabled', 'disabled in config (enabled: false)');
    this.set('starting');
    await this.connectOnce(options.timeoutMs).catch((error: unknown) => this.set('failed', this.explain(error)));
  }

  async callTool(tool: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    const { client } = this.connected();
    try {
      return (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: options.signal,
        timeout: options.timeoutMs,
        resetTimeoutOnProgress: true,
        ...(options.onProgress ? { onprogress: options.onProgress } : {}),
      })) as CallToolResult;
    } catch (error) {
      if (options.signal.aborted) throw abortReason(options.signal);
      if (isClosed(error)) throw new McpServerError(`MCP server "${this.name}" stopped during the call: ${this.explain(error)}`);
      throw error;
    }
  }

  async listResources(signal?: AbortSignal): Promise<Resource[]> {
    const { client } = this.connected();
    if (!client.getServerCapabilities()?.resources) return [];
    return paginate((cursor) => client.listResources(cursor ? { cursor } : undefined, { signal }).then((p) => ({ items: p.resources, next: p.nextCursor })));
  }

  readResource(uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    return this.connected().client.readResource({ uri }, { signal });
  }

  async listPrompts(signal?: AbortSignal): Promise<Prompt[]> {
    const { client } = this.connected();
    if (!client.getServerCapabilities()?.prompts) return [];
    return paginate((cursor) => client.listPrompts(cursor ? { cursor } : undefined, { signal }).then((p) => ({ items: p.prompts, next: p.nextCursor })));
  }

  getPrompt(name: string, args: Record<string, string>, signal?: AbortSignal): Promise<GetPromptResult> {
    return this.connected().client.getPrompt({ name, arguments: args }, { signal });
  }

  /** Sign-in state of a server with `auth:` (none for others). */
  authStatus(): AuthStatus | undefined {
    return this.auth?.status();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.lifetime.abort();
    const current = this.current;
    this.current = undefined;
    await current?.client.close().catch(() => undefined);
    await this.attempt;
    await this.auth?.close();
  }

  private connected(): Connected {
    if (this.current) return this.current;
    throw new McpServerError(`MCP server "${this.name}" is ${this.state}${this.reason ? `: ${this.reason}` : ''}`);
  }

  private async connectOnce(timeoutMs = this.config.timeout_s * 1000): Promise<void> {
    const fetch = this.auth?.fetch();
    const { signal, dispose } = withTimeout(this.lifetime.signal, timeoutMs, `starting MCP server "${this.name}"`);
    this.protocolError = undefined;
    const opening = connect(this.config, () => this.newClient(), { baseDir: this.deps.baseDir, stderr: this.stderr, signal, timeoutMs, ...(fetch ? { fetch } : {}) });
    this.attempt = opening.catch(() => undefined);
    try {
      const connected = await raceAbort(opening, signal);
      const tools = await raceAbort(this.listTools(connected.client, signal), signal);
      if (this.closed) throw new McpServerError('closed while starting');
      this.current = connected;
      this.kind = connected.kind;
      this.deps.onTools(this, tools);
      this.set('ready');
    } catch (error) {
      // Also closes a connection that opens after we gave up on it.
      this.attempt = opening.then((late) => late.client.close(), () => undefined);
      throw error;
    } finally {
      dispose();
    }
  }

  private newClient(): Client {
    const client = new Client(CLIENT_INFO, {
      capabilities: { elicitation: { form: { applyDefaults: true } }, sampling: {} },
      listChanged: {
        tools: { autoRefresh: false, onChanged: () => void this.refreshTools(client) },
      },
    });
    client.onerror = (error) => (this.protocolError = errorMessage(error));
    client.onclose = () => {
      if (this.current?.client === client) void this.lost();
    };
    this.deps.setupClient(client, this.name);
    return client;
  }

  private async listTools(client: Client, signal?: AbortSignal): Promise<McpTool[]> {
    if (!client.getServerCapabilities()?.tools) return [];
    return paginate((cursor) => client.listTools(cursor ? { cursor } : undefined, { signal }).then((p) => ({ items: p.tools, next: p.nextCursor })));
  }

  private async refreshTools(client: Client): Promise<void> {
    try {
      const tools = await this.listTools(client, this.lifetime.signal);
      if (this.current?.client === client) this.deps.onTools(this, tools);
    } catch (error) {
      if (!this.closed) this.set(this.state, `refreshing the tool list failed: ${this.explain(error)}`);
    }
  }

  /** The connection dropped (process exited, HTTP session gone): restart with backoff. */
  private async lost(): Promise<void> {
    this.current = undefined;
    let reason = this.explain(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
    const base = this.deps.restartDelayMs ?? 500;
    for (let attempt = 1; attempt <= MAX_RESTARTS; attempt++) {
      if (this.closed) return;
      this.set('reconnecting', `${reason} — restart ${attempt} of ${MAX_RESTARTS}`);
      const waited = await sleep(base * 2 ** (attempt - 1), this.lifetime.signal).then(() => true, () => false);
      if (!waited) return;
      this.restarts++;
      try {
        return await this.connectOnce();
      } catch (error) {
        reason = this.explain(error);
      }
    }
    if (!this.closed) this.set('failed', `${reason} (gave up after ${MAX_RESTARTS} restarts)`);
  }

  private set(state: McpServerState, reason?: string): void {
    if (this.closed) return;
    this.state = state;
    this.reason = reason;
    this.deps.onState(this);
  }

  /** A failure in words a user can act on, with what the server itself said. */
  explain(error: unknown): string {
    const parts = [describe(error, this)];
    if (this.protocolError && !parts[0]!.includes(this.protocolError)) parts.push(`last protocol error: ${this.protocolError}`);
    const tail = this.stderr.tail(3);
    if (tail.length) parts.push(`stderr: ${tail.join(' | ')}`);
    return parts.join('; ');
  }
}

function describe(error: unknown, connection: ServerConnection): string {
  const config = connection.config;
  if (error instanceof TimeoutError || (error instanceof McpError && error.code === ErrorCode.RequestTimeout)) {
    return `no answer to the initialize request within ${formatSeconds(config.timeout_s * 1000)} (timeout_s)`;
  }
  if (isClosed(error)) return connection.kind === 'stdio' ? 'the server process exited' : 'the server closed the connection';
  const message = errorMessage(error);
  if ('command' in config && /ENOENT|EACCES/.test(message)) {
    return `cannot start \`${config.command}\`: ${message} (is it installed and on PATH?)`;
  }
  if ('url' in config && !config.auth && /\b(401|403)\b/.test(message)) {
    return `${message} — the server wants credentials: set \`auth: oauth\` (sign-in) or \`auth: mtls\`, or put them in \`headers\` (e.g. Authorization)`;
  }
  const tls = 'url' in config ? describeTlsFailure(error) : undefined;
  if (tls) return tls;
  if ('url' in config && error instanceof TypeError) return `cannot reach ${config.url}: ${errorMessage(error.cause ?? error)}`;
  return message;
}

function isClosed(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.ConnectionClosed;
}

async function paginate<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    items.push(...result.items);
    cursor = result.next;
  } while (cursor);
  return items;
}
