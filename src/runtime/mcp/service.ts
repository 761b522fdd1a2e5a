// The MCP capability: starts every configured server concurrently, registers their tools in the shared
// registry (so every call takes the guarded path), reports status, and serves resources and prompts.
import path from 'node:path';
import type { GetPromptResult, Prompt, ReadResourceResult, Resource, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config/index.ts';
import type { ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { RunHooks } from '../loop/index.ts';
import type { ModelClient } from '../model/index.ts';
import { sourceKeyOf } from '../tools/index.ts';
import { openKeychain, type Keychain } from '../keychain/index.ts';
import { headlessAuthorizer, type Authorizer } from './auth/authorizer.ts';
import { SignInBroker } from './auth/sign-in-broker.ts';
import { AuthStore } from './auth/store.ts';
import { adaptTools, type AdaptedTool } from './adapter.ts';
import type * as Connection from './connection.ts';
import type { ServerConnection } from './connection.ts';
import { McpServerError } from './errors.ts';
import { ToolRanker } from './ranking.ts';
import type * as Requests from './requests.ts';
import { ToolSelection } from './selection.ts';
import type { McpServerStatus, McpToolInfo } from './types.ts';

/** The MCP SDK's client side: it loads only once a server is configured, so runs without servers start sooner. */
type Client = [typeof Connection, typeof Requests];
const loadClient = (): Promise<Client> => Promise.all([import('./connection.ts'), import('./requests.ts')]);

/** How long a sign-in started from the UI waits for the user's browser (the connection attempt a little longer). */
const SIGN_IN_TIMEOUT_MS = 300_000;

/** A sign-in started from the UI: the URL to open, or (no sign-in was asked for: already signed in, or failed first) the status. */
export type SignInStart = { url: URL } | { status: McpServerStatus };

export interface McpOptions {
  /** First restart delay after a crash (doubles each attempt); default 500 ms. */
  restartDelayMs?: number;
  /** Embeddings for ranking tools; default: the chat model's own `embed`. */
  embed?: ModelClient['embed'];
  /** Completes OAuth sign-ins (default: headless — a server that needs one fails with "run `rein mcp login`"). */
  authorizer?: Authorizer;
  /** Where OAuth tokens live (default: the OS keychain). */
  keychain?: Keychain;
}

export class McpService implements RuntimeExtension {
  readonly name = 'mcp';
  readonly hooks: RunHooks;
  private readonly connections = new Map<string, ServerConnection>();
  private readonly adapted = new Map<string, AdaptedTool[]>();
  private readonly options: McpOptions;
  private host: ExtensionHost | undefined;
  private selection: ToolSelection | undefined;
  private unwatchRegistry: (() => void) | undefined;
  private readonly signIns: SignInBroker;

  constructor(options: McpOptions = {}) {
    this.options = options;
    this.signIns = new SignInBroker(options.authorizer ?? headlessAuthorizer, SIGN_IN_TIMEOUT_MS);
    this.hooks = {
      name: 'mcp',
      selectTools: (tools, messages, context) => this.selection?.select(tools, messages, context) ?? tools,
      onRunFinish: (_result, context) => this.selection?.forgetRun(context.runId),
    };
  }

  async start(host: ExtensionHost): Promise<void> {
    this.host = host;
    // Tools of MCP kind may also be registered directly (an embedder's Runtime tools): they are limited per step too.
    const selectIfMcp = () => {
      if (!this.selection && host.registry.list().some((t) => t.source.kind === 'mcp')) this.ensureSelection(host);
    };
    selectIfMcp();
    this.unwatchRegistry = host.registry.onChange(selectIfMcp);
    if (host.config.mcp_servers.length === 0) return;
    const client = await loadClient();
    const connections = host.config.mcp_servers.map((config) => this.connect(config, client));
    await Promise.all(connections.map((c) => c.start()));
  }

  /** Starts a server added while Rein runs (the desktop's "add server"); its entry is already in the config file. */
  async addServer(config: McpServerConfig): Promise<McpServerStatus> {
    if (!this.host) throw new McpServerError('the MCP capability is not started');
    const client = await loadClient();
    if (this.connections.has(config.name)) throw new McpServerError(`an MCP server named "${config.name}" is already running`);
    const connection = this.connect(config, client);
    await connection.start();
    return this.statusOf(connection);
  }

  /** A running server's config entry. */
  configOf(name: string): McpServerConfig {
    return this.connection(name).config;
  }

  /**
   * Signs in to an OAuth server from the UI: restarts it with its next authorization waiting on the 127.0.0.1
   * redirect, and resolves with the URL for the user's browser (the server turns ready, or failed with the
   * reason, once the browser comes back or after 5 minutes).
   */
  async startSignIn(name: string): Promise<SignInStart> {
    const config = this.connection(name).config;
    if (!('url' in config) || (config.auth?.type !== 'oauth' && config.auth?.type !== 'oidc')) {
      throw new McpServerError(`server "${name}" has no \`auth: oauth\` (or oidc) in its config: nothing to sign in to`);
    }
    // Stopped first: a sign-in still waiting for the browser is cancelled and its redirect port freed.
    await this.removeServer(name);
    const armed = this.signIns.arm(name);
    const connection = this.connect(config, await loadClient());
    const restarted = connection.start({ timeoutMs: SIGN_IN_TIMEOUT_MS + 10_000 }).then(() => this.statusOf(connection));
    const first = await Promise.race([armed.url.then((url) => ({ url }), () => undefined), restarted.then((status) => ({ status }))]);
    if (first && 'url' in first) return first;
    armed.cancel();
    return { status: first?.status ?? (await restarted) };
  }

  /** Stops a sign-in that waits for the browser (the server ends up failed: "sign-in cancelled"); false when none waited. */
  cancelSignIn(name: string): boolean {
    this.connection(name);
    return this.signIns.cancel(name);
  }

  /** Forgets the server's stored tokens and registration (keychain), then restarts it (it needs a sign-in again). */
  async signOut(name: string): Promise<{ removed: boolean; status: McpServerStatus }> {
    const config = this.connection(name).config;
    if (!('url' in config) || !config.auth || config.auth.type === 'mtls') throw new McpServerError(`server "${name}" does not sign in with OAuth`);
    this.signIns.cancel(name);
    const removed = new AuthStore(name, config.url, this.options.keychain ?? openKeychain()).clear();
    return { removed, status: await this.restartServer(name) };
  }

  /** Stops a server and drops its tools (the desktop's "remove"); its config entry is already gone. */
  async removeServer(name: string): Promise<void> {
    const connection = this.connection(name);
    this.signIns.cancel(name);
    this.connections.delete(name);
    this.adapted.delete(name);
    this.host?.registry.replaceSource(`mcp:${name}`, []);
    await connection.close();
  }

  /** Stops and starts a server again with `config` (the same one, or with `enabled` changed). */
  async restartServer(name: string, config?: McpServerConfig): Promise<McpServerStatus> {
    const previous = this.connection(name).config;
    await this.removeServer(name);
    const connection = this.connect(config ?? previous, await loadClient());
    await connection.start();
    return this.statusOf(connection);
  }

  async close(): Promise<void> {
    this.unwatchRegistry?.();
    for (const name of this.connections.keys()) this.signIns.cancel(name);
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }

  /** Every configured server with its state, reason, stderr tail and tools. */
  servers(): McpServerStatus[] {
    return [...this.connections.values()].map((c) => this.statusOf(c));
  }

  tools(): McpToolInfo[] {
    return this.servers().flatMap((s) => s.tools);
  }

  async listResources(server: string, signal?: AbortSignal): Promise<Resource[]> {
    return this.connection(server).listResources(signal);
  }

  async readResource(server: string, uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    return this.connection(server).readResource(uri, signal);
  }

  async listPrompts(server: string, signal?: AbortSignal): Promise<Prompt[]> {
    return this.connection(server).listPrompts(signal);
  }

  async getPrompt(server: string, name: string, args: Record<string, string> = {}, signal?: AbortSignal): Promise<GetPromptResult> {
    return this.connection(server).getPrompt(name, args, signal);
  }

  private ensureSelection(host: ExtensionHost): void {
    if (this.selection) return;
    this.selection = new ToolSelection({
      registry: host.registry,
      // read at each ranking: the user may pick another model after start
      ranker: new ToolRanker(this.options.embed ? { embed: this.options.embed } : { get embed() { return host.model.embed?.bind(host.model); } }),
      limit: host.config.runtime.max_tools_per_turn,
      pinned: () => this.pinned(),
    });
    host.registry.add(this.selection.findTool());
  }

  private connect(config: McpServerConfig, [{ ServerConnection }, { installRequestHandlers }]: Client): ServerConnection {
    const host = this.host!;
    this.ensureSelection(host);
    const connection = new ServerConnection(config, {
      baseDir: host.config.file ? path.dirname(host.config.file) : process.cwd(),
      restartDelayMs: this.options.restartDelayMs,
      authorizer: this.signIns,
      authEgress: { offline: host.config.policy.offline, allowHosts: host.config.policy.allow_hosts },
      ...(this.options.keychain ? { keychain: this.options.keychain } : {}),
      setupClient: (client, server) => installRequestHandlers(client, server, host),
      onState: (c) => this.reportState(c),
      onTools: (c, tools) => this.registerTools(c, tools),
    });
    this.connections.set(config.name, connection);
    return connection;
  }

  private connection(server: string): ServerConnection {
    const connection = this.connections.get(server);
    if (!connection) throw new McpServerError(`no MCP server named "${server}" (configured: ${[...this.connections.keys()].join(', ') || 'none'})`);
    return connection;
  }

  private registerTools(connection: ServerConnection, tools: McpTool[]): void {
    const registry = this.host!.registry;
    const key = `mcp:${connection.name}`;
    const taken = new Set(registry.list().filter((t) => sourceKeyOf(t) !== key).map((t) => t.name));
    const adapted = adaptTools(connection, tools, taken, this.host!.config.runtime.tool_timeout_s * 1000);
    this.adapted.set(connection.name, adapted);
    registry.replaceSource(key, adapted.map((a) => a.tool));
  }

  private pinned(): Set<string> {
    const names = new Set<string>();
    for (const connection of this.connections.values()) {
      const pins = new Set(connection.config.pinned_tools);
      for (const a of this.adapted.get(connection.name) ?? []) if (pins.has(a.original)) names.add(a.tool.name);
    }
    return names;
  }

  private statusOf(connection: ServerConnection): McpServerStatus {
    const stderr = connection.stderr.tail();
    const auth = connection.authStatus();
    return {
      name: connection.name,
      state: connection.state,
      transport: connection.kind,
      tools: (this.adapted.get(connection.name) ?? []).map(({ tool, original }) => ({
        name: tool.name,
        tool: original,
        server: connection.name,
        description: tool.description,
        capability: tool.capability,
      })),
      ...(connection.reason ? { reason: connection.reason } : {}),
      ...(stderr.length ? { stderr } : {}),
      restarts: connection.restarts,
      ...(auth ? { auth } : {}),
    };
  }

  private reportState(connection: ServerConnection): void {
    const status = this.statusOf(connection);
    this.host?.notify({
      type: 'mcp.server.status',
      server: status.name,
      state: status.state,
      transport: status.transport,
      tools: status.tools.length,
      ...(status.reason ? { reason: status.reason } : {}),
      ...(status.state === 'failed' || status.state === 'reconnecting' ? { stderr: connection.stderr.tail() } : {}),
    });
  }
}
