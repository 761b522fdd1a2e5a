// `rein serve`: the local host of the data dir — the desktop UI in a browser and the API for every client, over
// HTTP + WebSocket on loopback (bearer token) and a local socket. A second `rein serve` attaches to the running one.
import fs from 'node:fs';
import path from 'node:path';
import { errorMessageOf } from '../../runtime/index.ts';
import { DEFAULT_RENDERER_DIR } from '../../server/index.ts';
import { DEFAULT_PORT, startHost } from '../../host/host.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
const VERSION = '0.1.0';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const serve: CommandRunner = {
  run: async ({ options, io, config }) => {
    const port = options.port === undefined ? undefined : Number(options.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      io.stderr.write(`rein: --port must be a port number (0–65535), not "${String(options.port)}"\n`);
      return ExitCode.usage;
    }
    const bindHost = typeof options.host === 'string' ? options.host : '127.0.0.1';
    const loaded = config();
    const log = (line: string) => io.stderr.write(`rein: ${line}\n`);
    let started;
    try {
      started = await startHost({ config: loaded, ...(port !== undefined ? { port } : {}), bindHost, rendererDir: DEFAULT_RENDERER_DIR, version: VERSION, log });
    } catch (error) {
      io.stderr.write(`rein: cannot start the host on ${bindHost}:${port ?? DEFAULT_PORT}: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    }
    if (started.kind === 'attached') {
      const { info } = started;
      io.stderr.write(`rein: a host already serves ${info.dataDir} (pid ${info.pid}, since ${info.startedAt}); not starting another\n`);
      io.stdout.write(`Rein is serving on ${info.url}/#token=${info.token}\n`);
      return ExitCode.ok;
    }
    if (started.kind === 'unresponsive') {
      io.stderr.write(`rein: ${started.lockFile} is held by process ${started.owner.pid}, which does not answer as a Rein host; if it is not one, delete that file\n`);
      return ExitCode.failed;
    }
    const { host } = started;
    const page = path.join(DEFAULT_RENDERER_DIR, 'index.html');
    if (!fs.existsSync(page)) io.stderr.write(`rein: warning: the web UI is not built (no ${page}): the page answers 503 until you run \`npm run build\`; the API works\n`);
    if (!LOOPBACK.has(bindHost)) io.stderr.write(`rein: warning: listening on ${bindHost}, reachable from other machines; the token is the only protection\n`);
    io.stderr.write(`rein: host of ${host.info.dataDir} (pid ${host.info.pid}); local socket ${host.info.socket}\n`);
    io.stdout.write(`Rein is serving on ${host.info.url}/#token=${host.info.token}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.stderr.write('rein: shutting down\n');
    await host.close();
    return ExitCode.ok;
  },
};
