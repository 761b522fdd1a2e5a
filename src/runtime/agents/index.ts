import type * as Serving from './serving.ts';

export { AgentsExtension, type AgentsExtensionOptions, type SkillProvider, type SkillSummary, type TraceContextProvider } from './extension.ts';
export type { ReinMcpHarness } from './server.ts';
export type { ServedRuns, ServedRunRequest } from './served-runs.ts';
export type { HttpServeOptions, HttpServing } from './http-server.ts';
/** ReinMcpHarness, serveStdio and serveHttp (serving.ts): the MCP SDK's server side, loaded when Rein serves MCP. */
export const mcpServing = (): Promise<typeof Serving> => import('./serving.ts');
export { loadOrCreateToken, tokenMatches } from './token.ts';
// The spawner (an MCP SDK client) loads at a run's first spawn_subagent call (extension.ts).
export type { SubagentSpawner, SpawnRequest, SpawnHooks, SubagentResult, SpawnedInfo } from './spawner.ts';
export { localCommand, REIN_BIN, type ChildCommand, type ChildLaunch, type BackendName } from './backends.ts';
export { ContainerBackend } from './container-backend.ts';
export { childConfig } from './child-config.ts';
export { allowedTools, resolveRole, matchesAny } from './roles.ts';
export { scopeFromEnv, ENV_DEPTH, ENV_TOOLS, ENV_SKILLS, ENV_ROLE, ENV_MODEL, ENV_TRACEPARENT, type AgentScope } from './scope.ts';
export { liveChildPids } from './processes.ts';
export { SPAWN_TOOL } from './spawn-tool.ts';
export { SubagentError, McpServeError } from './errors.ts';
