// `rein mcp [serve] [--http <port>]`: Rein as an MCP server (stdio by default).
import { AgentsExtension, McpServeError, Runtime, defaultExtensions, loadOrCreateToken, mcpServing, scopeFromEnv, type ReinConfig, type ReinMcpHarness } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
import type { CommandContext } from '../command.ts';
import { hostServedRuns } from '../host-served-runs.ts';
import { ExitCode } from '../exit-codes.ts';
import { styleFor } from '../io.ts';
import { systemEventLine } from '../render.ts';

/** After stdin closes, the process leaves within this time even if something still holds the event loop. */
const EXIT_DEADLINE_MS = 3000;

export async function mcpServe({ options, io, config }: CommandContext): Promise<number> {
  const http = options.http;
  const port = typeof http === 'string' ? Number(http) : undefined;
  if (http !== undefined && (!Number.isInteger(port) || port! < 0 || port! > 65_535)) {
    io.stderr.write(`rein: --http needs a port number (0-65535), got "${String(http)}"\n`);
    return ExitCode.usage;
  }
  const serving = mcpServing(); // the MCP SDK's server side, loading while the runtime is set up
  const loaded = config();
  // With a host running on the data dir, runs go there (one database writer; they show in the desktop app).
  const host = await attachToHost(loaded, io);
  if (host === 'failed') return ExitCode.failed;
  const { ReinMcpHarness, ParentModel, serveStdio, serveHttp } = await serving;
  let harness: ReinMcpHarness;
  let close: () => Promise<void>;
  if (host !== 'none') {
    io.stderr.write(`rein mcp: runs go to the Rein host of ${loaded.dataDir} (pid ${host.info.pid})\n`);
    harness = new ReinMcpHarness(hostServedRuns(host, loaded.agents.max_served_runs));
    close = async () => host.close();
  } else {
    // A subagent whose parent answers its model calls (and embeddings) over this stdio connection: it may have no
    // network at all.
    const parentModel = scopeFromEnv(io.env).model === 'parent' && port === undefined ? new ParentModel(loaded.model.name) : undefined;
    const extensions = defaultExtensions(loaded, parentModel ? { embedder: parentModel.embedder(loaded.memory.embed_model) } : {});
    const agents = extensions.find((e): e is AgentsExtension => e instanceof AgentsExtension);
    const runtime = new Runtime({ config: loaded, extensions, ...(parentModel ? { model: parentModel } : {}) });
    const style = styleFor(io.stderr, io.env);
    runtime.onSystemEvent((event) => {
      const line = systemEventLine(event, style);
      if (line) io.stderr.write(`rein mcp: ${line}\n`);
    });
    harness = new ReinMcpHarness(runtime, agents, parentModel ? { onServer: (server) => parentModel.attach(server.server) } : {});
    close = () => runtime.close();
  }
  try {
    if (port === undefined) await serveStdio(harness);
    else await serveOverHttp(harness, loaded, port, io.stderr, serveHttp);
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof McpServeError)) throw error;
    io.stderr.write(`rein mcp: ${error.message}\n`);
    return ExitCode.failed;
  } finally {
    setTimeout(() => process.exit(process.exitCode ?? ExitCode.ok), EXIT_DEADLINE_MS).unref();
    await close();
  }
}

type ServeHttp = Awaited<ReturnType<typeof mcpServing>>['serveHttp'];

async function serveOverHttp(harness: ReinMcpHarness, config: ReinConfig, port: number, stderr: NodeJS.WritableStream, serveHttp: ServeHttp): Promise<void> {
  const { token, file } = loadOrCreateToken(config.dataDir);
  const serving = await serveHttp(harness, { port, token });
  stderr.write(`rein mcp: serving MCP on ${serving.url} (127.0.0.1 only)\nrein mcp: bearer token (also in ${file}): ${token}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await serving.close();
}
