// `rein mcp [serve]` (Rein as an MCP server, in mcp-serve.ts), `rein mcp list` (servers, status, tools) and
// `rein mcp import <file|->` (Claude Desktop / Cursor JSON). With a host running on the data dir, both go through it:
// list shows its live connections, import has it write and connect the servers without a restart (login, logout and
// passphrase: mcp-auth.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { McpImportResult, McpServerStatus, McpToolView } from '../../common/index.ts';
import { ApiError } from '../../common/api/errors.ts';
import type { HostConnection } from '../../host/client.ts';
import { McpImportError, McpService, Runtime, importMcpServers, type ReinConfig } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
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
    if (sub === 'logout') return logoutCommand(context, rest[0]);
    if (sub === 'passphrase') return passphraseCommand(context, rest[0]);
    if (sub === undefined || sub === 'serve') return mcpServe({ ...context, args: rest });
    context.io.stderr.write(`rein mcp: unknown subcommand "${sub}" (use serve, list, import, login, logout or passphrase)\n`);
    return Promise.resolve(ExitCode.usage);
  },
};

async function listCommand(config: ReinConfig, io: CliIo): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const host = await attachToHost(config, io);
  if (host === 'failed') return ExitCode.failed;
  if (host !== 'none') {
    try {
      return await listHostServers(host, io, style);
    } finally {
      host.close();
    }
  }
  if (config.mcp_servers.length === 0) {
    io.stdout.write(`no MCP servers configured in ${config.file ?? 'rein.yaml'} (add mcp_servers, or run \`rein mcp import <file>\`)\n`);
    return ExitCode.ok;
  }
  const service = new McpService();
  const runtime = new Runtime({ config, trace: false, extensions: [service] });
  try {
    await runtime.start();
    const servers = service.servers();
    for (const server of servers) io.stdout.write(describe(listingOf(server), style));
    return servers.some((s) => s.state === 'failed') ? ExitCode.failed : ExitCode.ok;
  } finally {
    await runtime.close();
  }
}

/** The host's live connections: no servers are started here. */
async function listHostServers(host: HostConnection, io: CliIo, style: Style): Promise<number> {
  let servers: McpServerStatus[];
  let tools: McpToolView[];
  try {
    [servers, tools] = await Promise.all([host.api.mcp.servers(), host.api.mcp.tools()]);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.stderr.write(`rein mcp list: ${error.message}\n`);
    return ExitCode.failed;
  }
  const where = `the running host (pid ${host.info.pid})`;
  if (!servers.length) {
    const file = (await host.api.config.get()).writableFile;
    io.stdout.write(`${where} has no MCP servers (add mcp_servers to ${file}, or run \`rein mcp import <file>\`)\n`);
    return ExitCode.ok;
  }
  io.stdout.write(style.dim(`MCP servers of ${where}:\n`));
  for (const server of servers) {
    io.stdout.write(describe({ ...server, stderr: server.stderrTail, tools: tools.filter((t) => t.server === server.name) }, style));
  }
  return servers.some((s) => s.state === 'failed') ? ExitCode.failed : ExitCode.ok;
}

/** One server as `rein mcp list` prints it, from the host's API or this process's service. */
type Listing = Pick<McpServerStatus, 'name' | 'state' | 'transport' | 'reason' | 'auth'> & { stderr?: string[]; tools: Pick<McpToolView, 'name' | 'tool' | 'capability'>[] };

function listingOf(server: ReturnType<McpService['servers']>[number]): Listing {
  return server;
}

function describe(server: Listing, style: Style): string {
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
  const host = await attachToHost(config(), io);
  if (host === 'failed') return ExitCode.failed;
  if (host !== 'none') {
    try {
      return await importThroughHost(host, text, file, io);
    } finally {
      host.close();
    }
  }
  try {
    printImport(importMcpServers(text, file, io.env), io);
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof McpImportError)) throw error;
    io.stderr.write(`rein mcp import: ${error.message}\n`);
    return ExitCode.usage;
  }
}

/**
 * With a host running: when it saves to the same file, the host writes the servers and connects them at once;
 * otherwise the file is written here and the host, which does not read it, is left alone (and the user told so).
 */
async function importThroughHost(host: HostConnection, text: string, file: string, io: CliIo): Promise<number> {
  const where = `the running host (pid ${host.info.pid})`;
  try {
    const hostFile = (await host.api.config.get()).writableFile;
    if (path.resolve(hostFile) !== path.resolve(file)) {
      printImport(importMcpServers(text, file, io.env), io);
      io.stdout.write(`${where} reads ${hostFile}, not ${file}, so it does not start them\n`);
      return ExitCode.ok;
    }
    const result = await host.api.mcp.importClaudeDesktop(text);
    printImport(result, io);
    if (!result.added.length) return ExitCode.ok;
    const servers = (await host.api.mcp.servers()).filter((s) => result.added.includes(s.name));
    io.stdout.write(`${where} started them without a restart:\n`);
    for (const s of servers) io.stdout.write(`  ${s.name}: ${s.state}${s.state === 'ready' ? `, ${s.toolCount} tool${s.toolCount === 1 ? '' : 's'}` : ''}${s.reason ? ` (${s.reason})` : ''}\n`);
    return ExitCode.ok; // written either way; a server that failed to start says why above
  } catch (error) {
    if (error instanceof McpImportError || (error instanceof ApiError && error.code === 'bad_request')) {
      io.stderr.write(`rein mcp import: ${error.message}\n`);
      return ExitCode.usage;
    }
    if (!(error instanceof ApiError)) throw error;
    io.stderr.write(`rein mcp import: ${error.message}\n`);
    return ExitCode.failed;
  }
}

function printImport(result: Pick<McpImportResult, 'added' | 'file' | 'notes'>, io: CliIo): void {
  io.stdout.write(`${result.added.length ? `added ${result.added.join(', ')}` : 'no servers added'} to ${result.file}\n`);
  for (const note of result.notes) io.stdout.write(`  ${note.server}: ${note.message}\n`);
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
