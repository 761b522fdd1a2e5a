// `rein mcp [serve]` (Rein as an MCP server, in mcp-serve.ts), `rein mcp list` (servers, status, tools) and
// `rein mcp import <file|->` (Claude Desktop / Cursor JSON).
import fs from 'node:fs';
import path from 'node:path';
import { McpImportError, McpService, Runtime, importMcpServers, type McpServerStatus, type ReinConfig } from '../../runtime/index.ts';
import type { CommandContext, CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { styleFor, type CliIo, type Style } from '../io.ts';
import { loginCommand, logoutCommand, passphraseCommand } from './mcp-auth.ts';
import { mcpServe } from './mcp-serve.ts';

export const mcp: CommandRunner = {
  run: (context) => {
    const [sub, ...rest] = context.args;
    if (sub === 'list') return listCommand(context.config(), context.io);
    if (sub === 'import') return importCommand(context, rest[0]);
    if (sub === 'login') return loginCommand(context, rest[0]);
    if (sub === 'logout') return Promise.resolve(logoutCommand(context, rest[0]));
    if (sub === 'passphrase') return passphraseCommand(context, rest[0]);
    if (sub === undefined || sub === 'serve') return mcpServe({ ...context, args: rest });
    context.io.stderr.write(`rein mcp: unknown subcommand "${sub}" (use serve, list, import, login, logout or passphrase)\n`);
    return Promise.resolve(ExitCode.usage);
  },
};

async function listCommand(config: ReinConfig, io: CliIo): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  if (config.mcp_servers.length === 0) {
    io.stdout.write(`no MCP servers configured in ${config.file ?? 'rein.yaml'} (add mcp_servers, or run \`rein mcp import <file>\`)\n`);
    return ExitCode.ok;
  }
  const service = new McpService();
  const runtime = new Runtime({ config, trace: false, extensions: [service] });
  try {
    await runtime.start();
    const servers = service.servers();
    for (const server of servers) io.stdout.write(describe(server, style));
    return servers.some((s) => s.state === 'failed') ? ExitCode.failed : ExitCode.ok;
  } finally {
    await runtime.close();
  }
}

function describe(server: McpServerStatus, style: Style): string {
  const color = server.state === 'ready' ? style.green : server.state === 'failed' ? style.red : style.yellow;
  const lines = [`${style.bold(server.name)}  ${color(server.state)}  ${server.transport}  ${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}`];
  if (server.reason) lines.push(`  reason: ${server.reason}`);
  if (server.auth) lines.push(`  auth: ${server.auth.kind}${server.auth.kind === 'mtls' ? '' : server.auth.signedIn ? ` signed in${server.auth.subject ? ` as ${server.auth.subject}` : ''}` : ` not signed in (run \`rein mcp login ${server.name}\`)`}`);
  if (server.state === 'failed' && server.stderr?.length) lines.push('  stderr:', ...server.stderr.map((l) => `    ${l}`));
  for (const tool of server.tools) lines.push(`  ${tool.name} ${style.dim(`[${tool.capability}]`)}${tool.name.endsWith(tool.tool) ? '' : style.dim(` (server name: ${tool.tool})`)}`);
  return `${lines.join('\n')}\n`;
}

async function importCommand({ io, config, options }: CommandContext, source: string | undefined): Promise<number> {
  if (!source) {
    io.stderr.write('rein mcp import: name a JSON file, or `-` to paste it on stdin\n');
    return ExitCode.usage;
  }
  const text = source === '-' ? await readStdin() : readFile(path.resolve(io.cwd, source));
  if (text === undefined) {
    io.stderr.write(`rein mcp import: cannot read ${source}\n`);
    return ExitCode.usage;
  }
  const file = targetFile(options.config as string | undefined, config, io);
  try {
    const result = importMcpServers(text, file, io.env);
    io.stdout.write(`${result.added.length ? `added ${result.added.join(', ')}` : 'no servers added'} to ${result.file}\n`);
    for (const note of result.notes) io.stdout.write(`  ${note.server}: ${note.message}\n`);
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof McpImportError)) throw error;
    io.stderr.write(`rein mcp import: ${error.message}\n`);
    return ExitCode.usage;
  }
}

/** The loaded config file, or <data dir>/rein.yaml when running on defaults. */
function targetFile(explicit: string | undefined, config: () => ReinConfig, io: CliIo): string {
  if (explicit) return path.resolve(io.cwd, explicit);
  const loaded = config();
  return loaded.file ?? path.join(loaded.dataDir, 'rein.yaml');
}

function readFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}
