// `rein serve`: the desktop UI in a browser, over HTTP + WebSocket on loopback, behind a bearer token.
import fs from 'node:fs';
import path from 'node:path';
import { Runtime, createRuntimeApi, errorMessageOf } from '../../runtime/index.ts';
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
    const { token, file, created } = loadOrCreateToken(loaded.dataDir);
    let server;
    try {
      server = await startServer({ api: createRuntimeApi(runtime), token, host, port, rendererDir: DEFAULT_RENDERER_DIR, version: '0.1.0' });
    } catch (error) {
      io.stderr.write(`rein: cannot listen on ${host}:${port}: ${errorMessageOf(error)}\n`);
      await runtime.close();
      return ExitCode.failed;
    }
    const page = path.join(DEFAULT_RENDERER_DIR, 'index.html');
    if (!fs.existsSync(page)) io.stderr.write(`rein: warning: the web UI is not built (no ${page}): the page answers 503 until you run \`npm run build\`; the API works\n`);
    if (!LOOPBACK.has(host)) io.stderr.write(`rein: warning: listening on ${host}, reachable from other machines; the token is the only protection\n`);
    io.stderr.write(`rein: ${created ? 'new token generated and saved' : 'token read from'} ${file}\n`);
    io.stdout.write(`Rein is serving on ${server.url}/#token=${token}\n`);
    void runtime.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.stderr.write('rein: shutting down\n');
    await server.close();
    await runtime.close();
    return ExitCode.ok;
  },
};
