// The MCP section over McpService: server status, tools, resources and prompts; adding servers writes them into
// the config file (the same code as `rein mcp import`, comments kept) and starts them at once.
import fs from 'node:fs';
import path from 'node:path';
import type { McpApi, McpImportResult, McpServerSpec, McpServerStatus } from '../../../common/index.ts';
import { editMcpServer, parseConfig, writableConfigFile, type ReinConfig } from '../../config/index.ts';
import { McpImportError, McpServerError, importMcpServers, type McpService } from '../../mcp/index.ts';
import { ApiArgumentError, ApiNotFoundError } from '../errors.ts';

type ServiceStatus = ReturnType<McpService['servers']>[number];

export function mcpService(service: McpService, config: () => ReinConfig, env: NodeJS.ProcessEnv = process.env): McpApi {
  const find = (server: string) => {
    if (!service.servers().some((s) => s.name === server)) throw new ApiNotFoundError(`no MCP server named "${server}"`);
  };
  /** Writes servers into the config file, then starts those that were added. */
  const importAndStart = async (json: string): Promise<McpImportResult> => {
    const file = writableConfigFile(config());
    let result: ReturnType<typeof importMcpServers>;
    try {
      result = importMcpServers(json, file, env);
    } catch (error) {
      throw error instanceof McpImportError ? new ApiArgumentError(error.message) : error;
    }
    const written = parseConfig(fs.readFileSync(file, 'utf8'), { file, env, baseDir: path.dirname(file) }).mcp_servers;
    await Promise.all(result.added.map((name) => service.addServer(written.find((s) => s.name === name)!)));
    return { file: result.file, added: result.added, notes: result.notes };
  };
  return {
    servers: () => Promise.resolve(service.servers().map(statusOf)),
    tools: (server) => {
      if (server) find(server);
      const tools = service.tools().filter((t) => !server || t.server === server);
      return Promise.resolve(tools.map((t) => ({ server: t.server, name: t.name, tool: t.tool, description: t.description, capability: t.capability })));
    },
    resources: async (server) => {
      find(server);
      return (await service.listResources(server)).map((r) => ({ server, uri: r.uri, name: r.name, ...(r.mimeType ? { mimeType: r.mimeType } : {}) }));
    },
    prompts: async (server) => {
      find(server);
      return (await service.listPrompts(server)).map((p) => ({ server, name: p.name, ...(p.description ? { description: p.description } : {}) }));
    },
    add: async (spec) => {
      // Checked before anything is written: a renamed or duplicate server would land in the file unseen.
      if (!SERVER_NAME.test(spec.name)) throw new ApiArgumentError(`server name "${spec.name}" is not allowed: use letters, digits, "_" and "-" (e.g. "${suggestName(spec.name)}"); nothing was written`);
      if (service.servers().some((s) => s.name === spec.name)) throw new ApiArgumentError(`an MCP server named "${spec.name}" is already configured; nothing was written`);
      const result = await importAndStart(JSON.stringify({ mcpServers: { [spec.name]: entryOf(spec) } }));
      if (!result.added.includes(spec.name)) throw new ApiArgumentError(`server "${spec.name}" was not added: ${result.notes.map((n) => n.message).join('; ') || 'invalid name'}`);
      return statusOf(service.servers().find((s) => s.name === spec.name)!);
    },
    importClaudeDesktop: (json) => importAndStart(json),
    remove: async (server) => {
      find(server);
      if (!editMcpServer(writableConfigFile(config()), server, { remove: true })) {
        throw new ApiArgumentError(`server "${server}" is not in ${writableConfigFile(config())}: remove it where it is configured`);
      }
      await service.removeServer(server);
    },
    setEnabled: async (server, enabled) => {
      find(server);
      const current = service.configOf(server);
      if (!editMcpServer(writableConfigFile(config()), server, { enabled })) {
        throw new ApiArgumentError(`server "${server}" is not in ${writableConfigFile(config())}: change it where it is configured`);
      }
      return statusOf(await service.restartServer(server, { ...current, enabled }));
    },
    restart: async (server) => {
      find(server);
      return statusOf(await service.restartServer(server));
    },
    startSignIn: async (server) => {
      find(server);
      const started = await signInCall(() => service.startSignIn(server));
      return 'url' in started ? { url: started.url.href, status: statusOf(service.servers().find((s) => s.name === server)!) } : { status: statusOf(started.status) };
    },
    cancelSignIn: (server) => {
      find(server);
      return Promise.resolve(service.cancelSignIn(server));
    },
    signOut: async (server) => {
      find(server);
      return statusOf((await signInCall(() => service.signOut(server))).status);
    },
  };
}

/** A server that does not sign in with OAuth is the caller's mistake, not the host's. */
async function signInCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof McpServerError ? new ApiArgumentError(error.message) : error;
  }
}

const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;
const suggestName = (name: string) => name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 48).toLowerCase() || 'server';

function entryOf(spec: McpServerSpec): Record<string, unknown> {
  const { name: _name, ...entry } = spec;
  return entry;
}

function statusOf(status: ServiceStatus): McpServerStatus {
  return {
    name: status.name,
    transport: status.transport,
    state: status.state,
    ...(status.reason ? { reason: status.reason } : {}),
    stderrTail: status.stderr ?? [],
    toolCount: status.tools.length,
    ...(status.auth ? { auth: status.auth } : {}),
  };
}
