// Starts or attaches to the runtime host of the data dir, keeps the shell connected to it, restarts it with
// backoff when it dies, and stops it on quit. The host is `<pinned node> --no-node-snapshot bin/rein.mjs serve
// --port 0`; it announces itself in <dataDir>/host.json (src/host/discovery.ts) once it is listening.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { HostStatus } from '../common/host-status.ts';
import { checkHealth, findHost, hostFiles, isProcessAlive, readHostInfo, type HostInfo } from '../host/discovery.ts';
import type { HostConnection } from './host-connection.ts';
import type { AppPaths } from './paths.ts';

const HEALTH_POLL_MS = 150;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 8_000;
const MAX_BACKOFF_MS = 10_000;
const STDERR_TAIL = 4000;
/** bin/rein.mjs: if the pipe on this fd closes (the shell died, even by SIGKILL), the host stops itself. */
const LIFELINE_FD = 3;

export interface SupervisorOptions {
  dataDir: string;
  paths: Pick<AppPaths, 'node' | 'nodeCandidates' | 'hostEntry' | 'appRoot'>;
  /** The environment of a new host (secrets included), built at each spawn. */
  env: () => NodeJS.ProcessEnv;
  /** Background work configured: the host is detached, outlives the shell and is not stopped on quit. */
  background: boolean;
  connection: HostConnection;
  onStatus: (status: HostStatus) => void;
  log?: (line: string) => void;
}

export const backoffMs = (attempt: number): number => Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, attempt - 1));

export class HostSupervisor {
  private current: HostStatus = { state: 'starting' };
  private child: ChildProcess | undefined;
  private host: HostInfo | undefined;
  private recovering: Promise<void> | undefined;
  private stopping = false;
  private everConnected = false;
  private stderrTail = '';

  private readonly options: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.options = options;
    options.connection.onClose((reason) => {
      if (this.stopping) return;
      this.setStatus({ state: 'reconnecting', detail: `the host went away: ${reason}`, attempt: 0 });
      void this.recover();
    });
  }

  get status(): HostStatus {
    return this.current;
  }

  /** The host currently connected (for tests and the tray). */
  get hostInfo(): HostInfo | undefined {
    return this.host;
  }

  /** Connects to the data dir's live host, or starts one; keeps trying with backoff until it works or stop(). */
  start(): Promise<void> {
    return this.recover();
  }

  /**
   * Disconnects, and stops the host this shell started. A background host, or one this shell merely attached to,
   * keeps running unless `stopHost` asks for it explicitly (the tray's "Quit and stop background work").
   */
  async stop(stopHost = !this.options.background): Promise<void> {
    this.stopping = true;
    this.options.connection.close();
    if (stopHost && this.child) await stopProcess(this.child);
    else if (stopHost && this.host && this.options.background) await stopPid(this.host.pid);
    this.setStatus({ state: 'stopped' });
  }

  /** Restarts a host this shell started (e.g. so it sees a newly stored secret); returns false for an attached host. */
  restart(): boolean {
    if (!this.child || this.child.exitCode !== null) return false;
    this.child.kill('SIGTERM');
    return true;
  }

  private recover(): Promise<void> {
    this.recovering ??= this.connectLoop().finally(() => { this.recovering = undefined; });
    return this.recovering;
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const host = (await findHost(this.options.dataDir)) ?? (await this.spawnHost());
        if (this.stopping) return;
        await this.options.connection.connect(host);
        this.host = host;
        this.everConnected = true;
        this.setStatus({ state: 'connected' });
        return;
      } catch (error) {
        if (this.stopping) return;
        const detail = error instanceof Error ? error.message : String(error);
        this.options.log?.(`rein: the host is not available (attempt ${attempt}): ${detail}`);
        this.setStatus({ state: this.everConnected ? 'reconnecting' : 'starting', detail, attempt });
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
      }
    }
  }

  private async spawnHost(): Promise<HostInfo> {
    const { paths, dataDir, background } = this.options;
    if (!paths.node) throw new Error(`no Node.js 24 to run Rein's runtime; looked for ${paths.nodeCandidates.join(', ')}`);
    fs.mkdirSync(dataDir, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...this.options.env(), REIN_HOME: dataDir };
    let stdio: ('ignore' | 'pipe' | number)[];
    if (background) {
      // Outlives the shell: its output goes to a log file, and no lifeline ties it to us.
      const log = fs.openSync(path.join(dataDir, 'host.log'), 'a');
      stdio = ['ignore', log, log];
    } else {
      env.REIN_LIFELINE = String(LIFELINE_FD);
      stdio = ['ignore', 'pipe', 'pipe', 'pipe'];
    }
    const child = spawn(paths.node.path, ['--no-node-snapshot', paths.hostEntry, 'serve', '--port', '0'], {
      cwd: dataDir,
      env,
      stdio,
      detached: background,
      windowsHide: true,
    });
    this.stderrTail = '';
    child.stdout?.on('data', (chunk: Buffer) => this.options.log?.(chunk.toString().trimEnd()));
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
      this.options.log?.(text.trimEnd());
    });
    if (background) child.unref();
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    return this.waitForHealth(child);
  }

  private async waitForHealth(child: ChildProcess): Promise<HostInfo> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let exit: string | undefined;
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => { exit = signal ? `was killed by ${signal}` : `exited with code ${code}`; };
    child.once('exit', onExit);
    child.once('error', (error) => { exit = `could not be started: ${error.message}`; });
    try {
      while (Date.now() < deadline) {
        if (exit) throw new Error(`the host ${exit}${this.stderrTail ? `:\n${this.stderrTail.trim()}` : ''}`);
        const info = readHostInfo(this.options.dataDir);
        if (info && info.pid === child.pid && (await checkHealth(info))) return info;
        await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
      }
      child.kill('SIGKILL');
      throw new Error(`the host did not answer within ${START_TIMEOUT_MS / 1000}s (no healthy ${hostFiles(this.options.dataDir).info})`);
    } finally {
      child.off('exit', onExit);
    }
  }

  private setStatus(status: HostStatus): void {
    this.current = status;
    this.options.onStatus(status);
  }
}

/** SIGTERM (the host closes its runtime and removes host.json), then SIGKILL after a grace period. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
