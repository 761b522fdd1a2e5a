// MCP servers: status with stderr tail, tools, resources and prompts; add one, import Claude-Desktop JSON.

import type { McpServerState } from '../events.ts';

export interface McpServerStatus {
  name: string;
  transport: 'stdio' | 'streamable-http' | 'sse';
  state: McpServerState;
  error?: string;
  /** Last lines the server wrote to stderr (stdio servers). */
  stderrTail: string[];
  toolCount: number;
}

export interface McpToolView {
  server: string;
  /** The name the model sees (e.g. `fs__read_file`). */
  name: string;
  description: string;
  enabled: boolean;
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
  added: string[];
  skipped: { name: string; reason: string }[];
}

export interface McpApi {
  servers(): Promise<McpServerStatus[]>;
  tools(server?: string): Promise<McpToolView[]>;
  resources(server: string): Promise<McpResourceView[]>;
  prompts(server: string): Promise<McpPromptView[]>;
  add(spec: McpServerSpec): Promise<McpServerStatus>;
  /** Imports the `mcpServers` object of a claude_desktop_config.json text. */
  importClaudeDesktop(json: string): Promise<McpImportResult>;
}
