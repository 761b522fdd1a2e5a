import { abortReason } from '../base/index.ts';

/** At most `limit` holders at once; waiters leave the queue when their signal aborts. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw abortReason(signal);
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(grant), 1);
          reject(abortReason(signal));
        };
        this.waiting.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}
