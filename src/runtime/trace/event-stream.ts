import type { RunEvent, RunEventInput } from '../../common/index.ts';

export type EventListener = (event: RunEvent) => void;

/** One run's events: stamped with runId, seq and time, fanned out to listeners and async iterators. */
export class RunEventStream {
  readonly runId: string;
  private seq: number;
  private closed = false;
  private readonly listeners = new Set<EventListener>();
  private readonly history: RunEvent[] = [];

  /** `lastSeq`: the seq of the run's last event so far, when a resumed run continues numbering. */
  constructor(runId: string, lastSeq = 0) {
    this.runId = runId;
    this.seq = lastSeq;
  }

  emit(input: RunEventInput): RunEvent {
    const event = { ...input, runId: this.runId, seq: ++this.seq, time: new Date().toISOString() } as RunEvent;
    this.history.push(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a broken listener must not break the run
      }
    }
    if (event.type === 'run.finished') this.close();
    return event;
  }

  /** Calls `listener` for every future event; returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  events(): readonly RunEvent[] {
    return this.history;
  }

  /** Every event from the start, then live ones until the run finishes. */
  async *[Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    let index = 0;
    let wake: (() => void) | undefined;
    const unsubscribe = this.subscribe(() => wake?.());
    try {
      while (true) {
        while (index < this.history.length) yield this.history[index++]!;
        if (this.closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      unsubscribe();
    }
  }

  private close(): void {
    this.closed = true;
  }
}
