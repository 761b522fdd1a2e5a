// `rein mcp …`: serving Rein over MCP (no subcommand, or `serve`). Client-side subcommands live beside it.
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { mcpServe } from './mcp-serve.ts';

export const mcp: Command = {
  name: 'mcp',
  synopsis: 'mcp [serve] [--http PORT]',
  summary: 'serve Rein as an MCP server on stdio (--http: Streamable HTTP on 127.0.0.1 with a bearer token)',
  options: { http: { type: 'string' } },
  run: async (context) => {
    const [sub, ...rest] = context.args;
    if (sub === undefined || sub === 'serve') return mcpServe({ ...context, args: rest });
    context.io.stderr.write(`rein: unknown subcommand "mcp ${sub}" (try: rein mcp serve)\n`);
    return ExitCode.usage;
  },
};
