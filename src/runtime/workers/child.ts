// The host's side of one worker process (the sandbox's isolate workers, the document parsers): started with
// `fork` and a minimal environment, ready once it says so, its death turned into a description, SIGKILLed on
// demand, and never holding the host's event loop open while idle.
import { fork, type ChildProcess } from 'node:child_process';

export interface ChildLaunch {
  entry: string;
  execPath: string;
  execArgv: string[];
  /** `advanced` lets Buffers and typed arrays cross without base64. */
  serialization?: 'json' | 'advanced';
  /** Settings the parent passes down, added to the minimal environment (never secrets). */
  env?: Record<string, string>;
}

/** How a worker process ended: the owner turns it into its own error. */
export interface ChildDeath {
  /** It had reported ready (a worker that never started is not replaced: it would fail again). */
  started: boolean;
  /** `was killed by SIGKILL`, `exited with code 1`. */
  how: string;
  /** The last lines of its stderr. */
  detail: string;
  /** Before it started: the first error line of its stderr (e.g. a missing module). */
  startError: string;
}

const STDERR_TAIL = 2_000;

export abstract class ChildWorker<ToChild, FromChild extends { type: string }> {
  /** Reserved by a pool or running a job. */
  busy = false;
  idleSince = Date.now();
  /** Called when the worker is free again, and when it has ended (set by a pool). */
  onIdle: (worker: this) => void = () => undefined;
  onExit: (worker: this) => void = () => undefined;
  protected readonly child: ChildProcess;
  /** Resolves with the worker's `ready` message. */
  protected readonly ready: Promise<Extract<FromChild, { type: 'ready' }>>;
  /** The current job's message handler and its reaction to the worker's death. */
  protected handler: ((message: FromChild) => void) | undefined;
  protected onGone: ((error: Error) => void) | undefined;
  /** Set once the process has ended. */
  protected death: Error | undefined;
  private readonly exited: Promise<void>;
  private alive = true;
  private started = false;
  private stderrTail = '';

  protected constructor(launch: ChildLaunch) {
    this.child = fork(launch.entry, [], {
      execPath: launch.execPath,
      execArgv: launch.execArgv,
      env: { ...workerEnv(), ...launch.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: launch.serialization ?? 'json',
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL)));
    this.child.on('message', (message: FromChild) => this.receive(message));
    let readyResolve: (message: Extract<FromChild, { type: 'ready' }>) => void = () => undefined;
    let readyReject: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => ((readyResolve = resolve), (readyReject = reject)));
    this.ready.catch(() => undefined);
    // 'close', not 'exit': by then every message the worker sent (e.g. why it ended itself) has arrived.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        this.alive = false;
        const error = this.deathError(this.describeDeath(code, signal));
        this.death = error;
        readyReject(error);
        this.onGone?.(error);
        this.onExit(this);
        resolve();
      }),
    );
    this.child.on('error', () => undefined); // a failed spawn also ends in 'close'
    this.handler = (message) => {
      if (message.type !== 'ready') return;
      this.started = true;
      readyResolve(message as Extract<FromChild, { type: 'ready' }>);
    };
    this.keepAlive(false); // until it runs something
  }

  /** The error a job in flight (or the next one) gets when the process has ended. */
  protected abstract deathError(death: ChildDeath): Error;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasStarted(): boolean {
    return this.started;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Ends the process at once (SIGKILL); resolves when it is gone. */
  kill(): Promise<void> {
    if (this.alive) {
      this.alive = false; // from now on a pool never hands it out
      // Hold the loop until 'close' (the exit *and* the end of stderr and the IPC channel): with only the process
      // ref'd, a host awaiting this could find its event loop empty between the two and quit (exit code 13).
      this.keepAlive(true);
      this.child.kill('SIGKILL');
    }
    return this.exited;
  }

  /** Messages after `ready` go to the current job's handler. */
  protected receive(message: FromChild): void {
    this.handler?.(message);
  }

  protected send(message: ToChild): void {
    if (this.child.connected) this.child.send(message as object, (error) => error && void this.kill());
  }

  /** The job is over: the worker is free (or killed, `retire`). */
  protected release(retire: boolean): void {
    this.handler = undefined;
    this.onGone = undefined;
    this.busy = false;
    this.idleSince = Date.now();
    this.keepAlive(false);
    if (retire) void this.kill();
    else this.onIdle(this);
  }

  /** A busy worker keeps the host's event loop alive; an idle one never holds the host open. */
  protected keepAlive(on: boolean): void {
    // stderr is a pipe (a net.Socket), so it can be unref'd like the process and its IPC channel.
    const handles = [this.child, this.child.channel, this.child.stderr as unknown as { ref(): void; unref(): void } | null];
    for (const handle of handles) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  private describeDeath(code: number | null, signal: NodeJS.Signals | null): ChildDeath {
    return {
      started: this.started,
      how: signal ? `was killed by ${signal}` : `exited with code ${String(code)}`,
      detail: lastLines(this.stderrTail),
      startError: (this.stderrTail.split('\n').find((line) => /Error/.test(line))?.trim() ?? lastLines(this.stderrTail)).slice(0, 500),
    };
  }
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.slice(-3).join(' | ').slice(0, 500);
}

/** A worker needs no secrets: only what affects how its code behaves (time zone, locale). */
function workerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'TZ', 'LANG', 'LC_ALL']) if (process.env[key] !== undefined) env[key] = process.env[key];
  // Inside Electron, process.execPath is the Electron binary: run it as plain Node.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}
