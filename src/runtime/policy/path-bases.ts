// Where a tool resolves a relative path: a stdio MCP server against its roots (directory arguments, as the
// filesystem server does) and its cwd; built-in and skill tools against the runtime's cwd; an HTTP server's
// folders are unknown (relative paths then make `glob` predicates unsure, which fails closed).
import os from 'node:os';
import path from 'node:path';
import type { ReinConfig } from '../config/index.ts';
import type { Tool } from '../tools/index.ts';

export function pathBasesFor(tool: Tool, config: ReinConfig): string[] {
  if (tool.source.kind !== 'mcp') return [process.cwd()];
  const name = tool.source.server;
  const server = config.mcp_servers.find((s) => s.name === name);
  if (!server || !('command' in server)) return [];
  const configDir = config.file ? path.dirname(config.file) : process.cwd();
  const cwd = server.cwd ? path.resolve(configDir, server.cwd) : process.cwd();
  const roots = server.args.filter((arg) => /^(\/|~(\/|$)|\.\.?\/)/.test(arg)).map((arg) => path.resolve(cwd, arg.replace(/^~(?=\/|$)/, os.homedir())));
  return [...new Set([...roots, cwd])];
}
