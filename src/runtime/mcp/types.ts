import type { McpServerState, McpServerStatusEvent } from '../../common/index.ts';
import type { McpServerConfig } from '../config/index.ts';
import type { AuthStatus } from './auth/provider.ts';

export type ServerConfig = McpServerConfig;
export type McpStatusEventTransport = McpServerStatusEvent['transport'];

/** What `rein mcp list` and the UI show for one server. */
export interface McpServerStatus {
  name: string;
  state: McpServerState;
  transport: McpStatusEventTransport;
  /** Tools the model can use (after the allow/deny filter). */
  tools: McpToolInfo[];
  reason?: string;
  stderr?: string[];
  restarts: number;
  /** Servers with `auth:`: how they authenticate and whether a sign-in is stored. */
  auth?: AuthStatus;
}

export interface McpToolInfo {
  /** The name the model sees (`server__tool`). */
  name: string;
  /** The name the server uses. */
  tool: string;
  server: string;
  description: string;
  capability: string;
}
