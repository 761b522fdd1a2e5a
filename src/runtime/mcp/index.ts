// MCP client: servers over stdio, Streamable HTTP and SSE; their tools in the guarded tool path.
export { McpService, type McpOptions } from './service.ts';
export { importMcpServers, type ImportResult, type ImportNote } from './import.ts';
export { McpServerError, McpToolError, McpImportError } from './errors.ts';
// connection.ts and transports.ts (the MCP SDK client) load on demand: McpService imports them once a server is configured.
export type { ServerConnection, ConnectionDeps } from './connection.ts';
export { mapToolResult } from './result.ts';
export { exposedNames } from './names.ts';
export { ToolRanker, type Ranked, type Ranking } from './ranking.ts';
export type { McpServerStatus, McpToolInfo } from './types.ts';
export { headlessAuthorizer, loopbackAuthorizer, openInBrowser, redirectFollowingAuthorizer, type Authorizer, type AuthorizationRequest } from './auth/authorizer.ts';
export { SignInNeededError, McpAuthError } from './auth/errors.ts';
export { AuthStore, OAUTH_KEYCHAIN_SERVICE } from './auth/store.ts';
export { MTLS_KEYCHAIN_SERVICE } from './auth/mtls.ts';
export type { AuthStatus } from './auth/provider.ts';
