// MCP servers: status with stderr tail, tools, resources and prompts; add one, import Claude-Desktop JSON.

import type { McpServerState } from '../events.ts';

export interface McpServerStatus {
  name: string;
  transport: 'stdio' | 'streamable-http' | 'sse';
  state: McpServerState;
  /** Why it failed, is reconnecting or disabled. */
  reason?: string;
  /** Last lines the server wrote to stderr (stdio servers). */
  stderrTail: string[];
  toolCount: number;
  /** Servers with `auth:` in rein.yaml: how they authenticate and whether a sign-in is stored. */
  auth?: McpAuthStatus;
}

export interface McpAuthStatus {
  kind: 'oauth' | 'mtls';
  /** OAuth: a token (or refresh token) is stored; when false the user runs `rein mcp login <server>`. */
  signedIn: boolean;
  /** Who signed in (OIDC email/sub), when known. */
  subject?: string;
  /** ISO time the access token expires. */
  expiresAt?: string;
}

export interface McpToolView {
  server: string;
  /** The name the model sees (e.g. `fs__read_file`); only tools that pass the server's allow/deny filter. */
  name: string;
  /** The name the server uses (e.g. `read_file`). */
  tool: string;
  description: string;
  /** The risk class the policy sees: read, write, network or execute. */
  capability: string;
}

export interface McpResourceView {
  server: string;
  uri: string;
  name: string;
  mimeType?: string;
}

export interface McpPromptView {
  server: string;
  name: string;
  description?: string;
}

/** Same shape as an `mcp_servers` entry of rein.yaml. */
export type McpServerSpec =
  | { name: string; command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { name: string; url: string; headers?: Record<string, string> };

export interface McpImportResult {
  /** The config file the servers were written to. */
  file: string;
  added: string[];
  /** Renamed servers, skipped duplicates, fields Rein does not use (kept as comments). */
  notes: { server: string; message: string }[];
}

/** A sign-in started from the UI (`mcp.startSignIn`). */
export interface McpSignInStart {
  /** The authorization server's page to open in the user's browser; the host waits on its 127.0.0.1 redirect. Absent when no sign-in was asked for (see `status`). */
  url?: string;
  /** The server now: `starting` while the host waits for the browser; ready (was already signed in) or failed (e.g. discovery) when no URL came. */
  status: McpServerStatus;
}

export interface McpApi {
  servers(): Promise<McpServerStatus[]>;
  tools(server?: string): Promise<McpToolView[]>;
  resources(server: string): Promise<McpResourceView[]>;
  prompts(server: string): Promise<McpPromptView[]>;
  /** Writes the server into the config file and starts it. */
  add(spec: McpServerSpec): Promise<McpServerStatus>;
  /** Imports (into the config file, then starts them) the `mcpServers` object of a claude_desktop_config.json text. */
  importClaudeDesktop(json: string): Promise<McpImportResult>;
  /** Stops the server and removes its entry from the config file. */
  remove(server: string): Promise<void>;
  /** Disables (stops; `enabled: false` in the config file) or enables (starts) a server. */
  setEnabled(server: string, enabled: boolean): Promise<McpServerStatus>;
  /** Stops and starts a server again (e.g. after changing its files). */
  restart(server: string): Promise<McpServerStatus>;
  /** OAuth servers: restarts the server with a sign-in the user completes in a browser; the state events say when it is ready or failed. */
  startSignIn(server: string): Promise<McpSignInStart>;
  /** Stops a sign-in waiting for the browser (the server fails with "sign-in cancelled"); false when none was waiting. */
  cancelSignIn(server: string): Promise<boolean>;
  /** Forgets the server's stored sign-in (keychain) and restarts it. */
  signOut(server: string): Promise<McpServerStatus>;
}
