// Rein served as an MCP server (`rein mcp serve`, and a subagent's side of spawn_subagent). Loaded on demand through
// mcpServing() in index.ts: the MCP SDK's server side is large, and a plain run never needs it.
export { ReinMcpHarness } from './server.ts';
export { serveStdio } from './stdio-server.ts';
export { serveHttp, type HttpServeOptions, type HttpServing } from './http-server.ts';
export { ParentModel } from './parent-model.ts';
