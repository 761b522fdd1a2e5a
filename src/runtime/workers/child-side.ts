// Inside a worker process: the link to its parent. A parent that is gone (even killed with SIGKILL: the kernel
// closes the IPC channel) ends this process at once, so nothing is left behind.

export interface ParentLink<ToParent> {
  send(message: ToParent, then?: () => void): void;
  /** Reports why this process ends, then ends it once the report is out (or after a short grace). */
  fatal(message: ToParent): void;
  die(): never;
}

export function linkToParent<ToParent>(what: string): ParentLink<ToParent> {
  if (!process.send) {
    process.stderr.write(`the ${what} must be started by Rein (it talks to its parent over IPC)\n`);
    process.exit(2);
  }
  /** Ends this process at once: a parent that is gone or a job past its limits gets no graceful teardown. */
  const die = (): never => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
  process.on('disconnect', die);
  const send = (message: ToParent, then?: () => void) => {
    if (!process.connected) die();
    process.send!(message, undefined, undefined, () => then?.());
  };
  return {
    send,
    die,
    fatal: (message) => {
      setTimeout(die, 500).unref();
      send(message, die);
    },
  };
}
