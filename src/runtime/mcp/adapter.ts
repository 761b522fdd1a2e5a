// MCP tools → registry tools: namespaced names, capability from annotations, calls through the connection.
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { Capability, Tool } from '../tools/index.ts';
import type { ServerConnection } from './connection.ts';
import { exposedNames } from './names.ts';
import { cappedProgress } from './progress.ts';
import { mapToolResult } from './result.ts';

export interface AdaptedTool {
  tool: Tool;
  /** The name the server uses. */
  original: string;
}

/** `timeoutMs` is the guard's limit (runtime.tool_timeout_s); the SDK gets it too, so it cancels on the server. */
export function adaptTools(connection: ServerConnection, tools: readonly McpTool[], taken: ReadonlySet<string>, timeoutMs: number): AdaptedTool[] {
  const allowed = tools.filter((t) => isAllowed(t.name, connection.config.tools));
  const names = exposedNames(connection.name, allowed.map((t) => t.name), taken);
  return allowed.map((mcpTool, i) => {
    const capability = capabilityOf(mcpTool, connection.config.trust_annotations);
    const tool: Tool = {
      name: names[i]!,
      description: describe(connection.name, mcpTool),
      parameters: mcpTool.inputSchema,
      capability,
      source: { kind: 'mcp', server: connection.name },
      parallelSafe: capability === 'read',
      run: async (args, context) =>
        mapToolResult(
          await connection.callTool(mcpTool.name, args, {
            signal: context.signal,
            timeoutMs,
            ...(context.progress ? { onProgress: cappedProgress(context.progress) } : {}),
          }),
        ),
    };
    return { tool, original: mcpTool.name };
  });
}

/**
 * Annotations are hints from the server, not facts: they may only make a tool stricter, unless the user marked the
 * server `trust_annotations: true`. openWorldHint (reaches outside) → network; readOnlyHint → read only for a
 * trusted server and only without a contradicting destructiveHint; anything else may change things → write.
 */
export function capabilityOf(tool: McpTool, trusted = false): Capability {
  const hints = tool.annotations ?? {};
  if (hints.openWorldHint === true) return 'network';
  if (trusted && hints.readOnlyHint === true && hints.destructiveHint !== true) return 'read';
  return 'write';
}

/** `allow`/`deny` entries are tool names as the server spells them; `*` matches any characters. */
export function isAllowed(name: string, filter: { allow?: string[]; deny?: string[] } | undefined): boolean {
  if (!filter) return true;
  if (filter.allow && !filter.allow.some((p) => matches(p, name))) return false;
  return !filter.deny?.some((p) => matches(p, name));
}

/** Case-insensitive, like policy rules: a server offering both `transfer` and `Transfer` cannot dodge a deny. */
function matches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(name);
}

function describe(server: string, tool: McpTool): string {
  const text = tool.description?.trim() || tool.title || tool.name;
  return `${text} (MCP server ${server})`;
}
