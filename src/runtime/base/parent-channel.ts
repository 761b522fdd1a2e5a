// Inside a worker child process (see child-worker.ts): the IPC channel to the parent. When the parent is gone — even
// killed with SIGKILL, the kernel closes the channel — the child ends at once: nothing is left behind.
export interface ParentChannel<ToParent> {
  /** Sends a message; `then` runs once it is out. A child whose parent is gone ends instead. */
  send(message: ToParent, then?: () => void): void;
  /** Ends this process at once (SIGKILL): no graceful teardown. */
  die(): never;
}

export function connectToParent<ToParent, ToChild>(what: string, onMessage: (message: ToChild) => void): ParentChannel<ToParent> {
  if (!process.send) {
    process.stderr.write(`${what} must be started by Rein (it talks to its parent over IPC)\n`);
    process.exit(2);
  }
  const die = (): never => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
  process.on('disconnect', die);
  process.on('message', (message: ToChild) => onMessage(message));
  return {
    send: (message, then) => {
      if (!process.connected) die();
      process.send!(message, undefined, undefined, () => then?.());
    },
    die,
  };
}
