// The long-lived local host of a data dir: the one process that owns its database, MCP connections, runs and
// approvals, serving the API contract on loopback HTTP/WS and on a local socket. One host per data dir (host.lock);
// a second start finds the first and attaches instead. host.json is written once both listeners are up.
import fs from 'node:fs';
import { Runtime, createRuntimeApi, errorMessageOf, startHostScheduler, type HostScheduler, type ReinConfig } from '../runtime/index.ts';
import { loadOrCreateToken, startServer, type RunningServer } from '../server/index.ts';
import { checkDataDir, findHost, hostFiles, hostSocketPath, isProcessAlive, removeHostInfo, writeHostInfo, type HostInfo } from './discovery.ts';
import { acquireHostLock, type LockOwner } from './lock.ts';
import { DEFAULT_PORT } from './default-port.ts';
import { MAX_RESUMES, OwnedRunsLedger, readOwnedRuns } from './owned-runs.ts';

export { DEFAULT_PORT };
/** How long a second start waits for a host that holds the lock but is still starting. */
const ATTACH_WAIT_MS = 30_000;

export interface HostOptions {
  config: ReinConfig;
  /** Undefined: DEFAULT_PORT, or any free port when it is busy. 0: any free port. */
  port?: number;
  bindHost?: string;
  rendererDir: string;
  version: string;
  /** Status lines for the person who started the host (port fallback, resumed runs). */
  log?: (line: string) => void;
}

export interface RunningHost {
  info: HostInfo;
  runtime: Runtime;
  /** Runs resumed from a previous host that was killed (settles once they were started again). */
  resumed: Promise<string[]>;
  close(): Promise<void>;
}

export type HostStart =
  | { kind: 'started'; host: RunningHost }
  | { kind: 'attached'; info: HostInfo }
  /** The lock is held by a live process that never answered as a host. */
  | { kind: 'unresponsive'; owner: LockOwner; lockFile: string };

export async function startHost(options: HostOptions): Promise<HostStart> {
  const { dataDir } = options.config;
  checkDataDir(dataDir); // a data dir other users can write is refused (they could plant a host.json)
  let lock = await acquireHostLock(dataDir);
  for (let attempt = 0; !lock.acquired; attempt++) {
    const { owner } = lock;
    const info = await waitForHost(dataDir, owner.pid);
    if (info) return { kind: 'attached', info };
    if (isProcessAlive(owner.pid) || attempt === 2) return { kind: 'unresponsive', owner, lockFile: hostFiles(dataDir).lock };
    lock = await acquireHostLock(dataDir); // it died while starting: the lock is stale now
  }
  try {
    return { kind: 'started', host: await launch(options, lock.release) };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function launch(options: HostOptions, releaseLock: () => void): Promise<RunningHost> {
  const { config, log = () => undefined } = options;
  const { dataDir } = config;
  const { socket: socketPath, remove: removeSocketFolder } = hostSocketPath(dataDir);
  if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true }); // left by a killed host; the lock is ours
  const { token } = loadOrCreateToken(dataDir);
  const runtime = new Runtime({ config });
  const api = createRuntimeApi(runtime);
  let server: RunningServer;
  try {
    server = await listen(options, { api, token, socketPath }, log);
  } catch (error) {
    await runtime.close();
    removeSocketFolder();
    throw error;
  }
  const toResume = readOwnedRuns(dataDir);
  const ledger = new OwnedRunsLedger(dataDir, toResume, log);
  const stopObserving = runtime.onEvent(ledger.observe);
  const info: HostInfo = {
    pid: process.pid,
    url: server.url,
    port: server.port,
    token,
    socket: socketPath,
    version: options.version,
    node: process.version,
    dataDir,
    startedAt: new Date().toISOString(),
  };
  writeHostInfo(dataDir, info);
  const resumed = (async () => {
    await runtime.start();
    const ids: string[] = [];
    for (const run of toResume) {
      if ((run.resumes ?? 0) >= MAX_RESUMES) {
        ledger.drop(run.runId);
        log(`not resuming run ${run.runId} again: it was resumed ${run.resumes} times after a crash and never finished (rein run --resume ${run.runId} continues it by hand)`);
        continue;
      }
      ledger.resuming(run.runId);
      try {
        const { runId } = await api.runs.resume(run.runId);
        if (runId !== run.runId) ledger.drop(run.runId); // without memory: a new run restating the old one
        ids.push(runId);
        log(`resumed run ${run.runId} (interrupted when the previous host stopped): ${run.goal}`);
      } catch (error) {
        ledger.drop(run.runId);
        log(`cannot resume run ${run.runId}: ${errorMessageOf(error)}`);
      }
    }
    return ids;
  })();
  // Schedules start after the interrupted runs were resumed, so a scheduled one is followed, not started again.
  const scheduling: Promise<HostScheduler | undefined> = resumed
    .then(() => startHostScheduler({ config: () => runtime.config, api, notify: (event) => runtime.notify(event) }))
    .then((started) => {
      runtime.services.schedules = started.service;
      return started;
    })
    .catch((error: unknown) => {
      log(`schedules are off: ${errorMessageOf(error)}`);
      return undefined;
    });
  return {
    info,
    runtime,
    resumed,
    close: async () => {
      removeHostInfo(dataDir);
      await server.close();
      await resumed.catch(() => undefined);
      (await scheduling)?.close();
      await runtime.close(); // stops the host's runs: they finish as stopped and leave the ledger
      stopObserving();
      if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
      removeSocketFolder();
      releaseLock();
    },
  };
}

async function listen(options: HostOptions, serving: { api: ReturnType<typeof createRuntimeApi>; token: string; socketPath: string }, log: (line: string) => void): Promise<RunningServer> {
  const host = options.bindHost ?? '127.0.0.1';
  const start = (port: number) => startServer({ ...serving, host, port, rendererDir: options.rendererDir, version: options.version });
  if (options.port !== undefined) return start(options.port);
  try {
    return await start(DEFAULT_PORT);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const server = await start(0);
    log(`port ${DEFAULT_PORT} is busy (another program uses it); serving on port ${server.port} instead`);
    return server;
  }
}

/** The healthy host of `dataDir` run by `pid`, waiting while it starts; undefined if it never answers. */
async function waitForHost(dataDir: string, pid: number): Promise<HostInfo | undefined> {
  const deadline = Date.now() + ATTACH_WAIT_MS;
  while (Date.now() < deadline) {
    const info = await findHost(dataDir);
    if (info?.pid === pid) return info;
    if (!isProcessAlive(pid)) return undefined; // it died while starting
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}
