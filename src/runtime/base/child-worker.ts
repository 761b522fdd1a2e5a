// A worker child process with an IPC channel (the sandbox's isolates, the embedded model engine): started with a
// minimal environment, its stderr tail kept for error messages, its end seen only once every message it sent has
// arrived, killed with SIGKILL, and never holding the host's event loop open while it is idle.
import { fork, type ChildProcess } from 'node:child_process';

export interface ChildWorkerLaunch {
  /** The script the child runs, and the Node (or Electron) binary that runs it. */
  entry: string;
  execPath: string;
  execArgv?: string[];
  /** Environment variables passed through (nothing else: the child gets no secrets). */
  envKeys?: readonly string[];
  /** Environment variables passed through when set, by prefix (e.g. NODE_LLAMA_CPP_). */
  envPrefixes?: readonly string[];
  /** Set for the child (settings its parent passes down). */
  env?: Record<string, string>;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the child wrote to stderr (one line, for an error message). */
  detail: string;
  /** The first error line it wrote, for a child that failed while starting. */
  firstError: string | undefined;
}

const STDERR_TAIL = 2_000;
const BASE_ENV_KEYS = ['PATH', 'TZ', 'LANG', 'LC_ALL'];

export class ChildWorker<ToChild, ToParent> {
  private readonly child: ChildProcess;
  private alive = true;
  private stderrTail = '';
  /** Resolves when the process has ended and its last messages have been delivered. */
  readonly exited: Promise<ChildExit>;

  constructor(launch: ChildWorkerLaunch, onMessage: (message: ToParent) => void) {
    this.child = fork(launch.entry, [], {
      execPath: launch.execPath,
      execArgv: launch.execArgv ?? [],
      env: childEnv(launch),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL)));
    this.child.on('message', (message: ToParent) => onMessage(message));
    this.child.on('error', () => undefined); // a failed spawn also ends in 'close'
    // 'close', not 'exit': by then every message the child sent (e.g. why it ended itself) has arrived.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        this.alive = false;
        resolve({ code, signal, detail: lastLines(this.stderrTail), firstError: this.stderrTail.split('\n').find((line) => /Error/.test(line))?.trim() });
      }),
    );
    this.keepAlive(false);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Sends a message; a failed send ends the child (its state is unknown from then on). */
  send(message: ToChild): void {
    if (this.child.connected) this.child.send(message as object, (error) => error && void this.kill());
  }

  /** Ends the process at once (SIGKILL); resolves when it is gone. */
  async kill(): Promise<void> {
    if (this.alive) {
      this.alive = false;
      this.child.ref(); // so that the exit is seen even when nothing else keeps the host running
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  /** A busy child keeps the host's event loop alive; an idle one never holds the host open. */
  keepAlive(on: boolean): void {
    // stderr is a pipe (a net.Socket), so it can be unref'd like the process and its IPC channel.
    const handles = [this.child, this.child.channel, this.child.stderr as unknown as { ref(): void; unref(): void } | null];
    for (const handle of handles) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}

/** "was killed by SIGKILL" / "exited with code 1". */
export function describeExit(exit: ChildExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
}

function childEnv(launch: ChildWorkerLaunch): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of [...BASE_ENV_KEYS, ...(launch.envKeys ?? [])]) if (process.env[key] !== undefined) env[key] = process.env[key];
  for (const [key, value] of Object.entries(process.env)) if (launch.envPrefixes?.some((prefix) => key.startsWith(prefix))) env[key] = value;
  Object.assign(env, launch.env);
  // Inside Electron, process.execPath is the Electron binary: run it as plain Node.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.slice(-3).join(' | ').slice(0, 500);
}
