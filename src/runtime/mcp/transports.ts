// Opens a connection to one server: stdio (minimal environment), Streamable HTTP, or legacy SSE as the
// fallback when Streamable HTTP answers 4xx (as the SDK's own example client does).
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpStatusEventTransport, ServerConfig } from './types.ts';
import type { StderrTail } from './stderr-tail.ts';

export interface Connected {
  client: Client;
  transport: Transport;
  kind: McpStatusEventTransport;
}

export interface ConnectOptions {
  /** Base for a relative `cwd` (the config file's folder). */
  baseDir: string;
  stderr: StderrTail;
  signal: AbortSignal;
  timeoutMs: number;
  /** HTTP servers with `auth:`: the fetch that signs requests (bearer token, client certificate). */
  fetch?: FetchLike;
}

export async function connect(config: ServerConfig, newClient: () => Client, options: ConnectOptions): Promise<Connected> {
  if ('command' in config) return open(newClient(), stdioTransport(config, options), 'stdio', options);
  if (config.transport === 'sse') return open(newClient(), sseTransport(config, options.fetch), 'sse', options);
  try {
    return await open(newClient(), streamableTransport(config, options.fetch), 'streamable-http', options);
  } catch (error) {
    if (config.transport === 'auto' && isClientError(error)) return open(newClient(), sseTransport(config, options.fetch), 'sse', options);
    throw error;
  }
}

/** The environment a stdio server gets: the SDK's minimal default plus what the config names, nothing else. */
export function stdioEnvironment(env: Record<string, string>): Record<string, string> {
  return { ...getDefaultEnvironment(), ...env };
}

function stdioTransport(config: Extract<ServerConfig, { command: string }>, options: ConnectOptions): Transport {
  const transport = new OwnedStdioTransport({
    command: config.command,
    args: config.args,
    env: stdioEnvironment(config.env),
    ...(config.cwd ? { cwd: path.resolve(options.baseDir, config.cwd) } : {}),
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => options.stderr.write(chunk));
  return transport;
}

/** Makes sure the server process is gone after close, even when the SDK's graceful close was already under way. */
class OwnedStdioTransport extends StdioClientTransport {
  private spawnedPid: number | null = null;

  override async start(): Promise<void> {
    await super.start();
    this.spawnedPid = this.pid;
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.spawnedPid === null) return;
    try {
      process.kill(this.spawnedPid, 'SIGTERM');
    } catch {
      // already exited
    }
    this.spawnedPid = null;
  }
}

function streamableTransport(config: Extract<ServerConfig, { url: string }>, fetch: FetchLike | undefined): Transport {
  return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers }, ...(fetch ? { fetch } : {}) });
}

function sseTransport(config: Extract<ServerConfig, { url: string }>, fetch: FetchLike | undefined): Transport {
  return new SSEClientTransport(new URL(config.url), { requestInit: { headers: config.headers }, ...(fetch ? { fetch } : {}) });
}

async function open(client: Client, transport: Transport, kind: McpStatusEventTransport, options: ConnectOptions): Promise<Connected> {
  try {
    await client.connect(transport, { signal: options.signal, timeout: options.timeoutMs });
    return { client, transport, kind };
  } catch (error) {
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    throw error;
  }
}

/** 4xx answers of servers that only speak the legacy SSE transport; 401/403 are about credentials, not transport. */
function isClientError(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && error.code >= 400 && error.code < 500 && error.code !== 401 && error.code !== 403;
}
