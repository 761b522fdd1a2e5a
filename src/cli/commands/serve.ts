// `rein serve`: the desktop UI in a browser, over HTTP + WebSocket on loopback, behind a bearer token.
import { removeHostInfo, writeHostInfo } from '../../host/discovery.ts';
import { Runtime, createRuntimeApi, errorMessageOf, startHostScheduler, type HostScheduler } from '../../runtime/index.ts';
import { DEFAULT_RENDERER_DIR, loadOrCreateToken, startServer } from '../../server/index.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

const DEFAULT_PORT = 8765;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const serve: Command = {
  name: 'serve',
  synopsis: 'serve [--port N] [--host ADDR]',
  summary: `serve the UI and API on http://127.0.0.1:${DEFAULT_PORT} (bearer token in <data dir>/serve-token)`,
  options: { port: { type: 'string' }, host: { type: 'string' } },
  run: async ({ options, io, config }) => {
    const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`rein: --port must be a port number (0–65535), not "${String(options.port)}"\n`);
      return ExitCode.usage;
    }
    const host = typeof options.host === 'string' ? options.host : '127.0.0.1';
    const loaded = config();
    const runtime = new Runtime({ config: loaded });
    const api = createRuntimeApi(runtime);
    const { token, file, created } = loadOrCreateToken(loaded.dataDir);
    let server;
    try {
      server = await startServer({ api, token, host, port, rendererDir: DEFAULT_RENDERER_DIR, version: '0.1.0' });
    } catch (error) {
      io.stderr.write(`rein: cannot listen on ${host}:${port}: ${errorMessageOf(error)}\n`);
      await runtime.close();
      return ExitCode.failed;
    }
    if (!LOOPBACK.has(host)) io.stderr.write(`rein: warning: listening on ${host}, reachable from other machines; the token is the only protection\n`);
    io.stderr.write(`rein: ${created ? 'new token generated and saved' : 'token read from'} ${file}\n`);
    io.stdout.write(`Rein is serving on ${server.url}/#token=${token}\n`);
    // Minimal host.json so the desktop shell finds this host (the `host` branch owns the full version).
    writeHostInfo(loaded.dataDir, { pid: process.pid, url: server.url, port: server.port, token, version: '0.1.0', node: process.version, dataDir: loaded.dataDir, startedAt: new Date().toISOString() });
    // The host runs the schedules: after the runtime is up, so interrupted scheduled runs can resume.
    let schedules: HostScheduler | undefined;
    const scheduling = runtime
      .start()
      .then(() => startHostScheduler({ config: () => runtime.config, api, notify: (event) => runtime.notify(event) }))
      .then((started) => {
        schedules = started;
        runtime.services.schedules = started.service;
      })
      .catch((error: unknown) => io.stderr.write(`rein: schedules are off: ${errorMessageOf(error)}\n`));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.stderr.write('rein: shutting down\n');
    removeHostInfo(loaded.dataDir);
    await server.close();
    await scheduling;
    schedules?.close();
    await runtime.close();
    return ExitCode.ok;
  },
};
