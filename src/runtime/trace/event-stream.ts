import type { RunEvent, RunEventInput } from '../../common/index.ts';

export type EventListener = (event: RunEvent) => void;

/**
 * One run's events: stamped with runId, seq and time, secrets redacted (as in the stored session, so what is kept
 * for export, search and every client matches it), fanned out to listeners and async iterators.
 */
export class RunEventStream {
  readonly runId: string;
  private readonly redact: ((text: string) => string) | undefined;
  private seq: number;
  private closed = false;
  private readonly listeners = new Set<EventListener>();
  private readonly history: RunEvent[] = [];

  /** `lastSeq`: the seq of the run's last event so far, when a resumed run continues numbering. */
  /** `redact`: applied to each event's text before it is kept or sent anywhere. */
  constructor(runId: string, lastSeq = 0, redact?: (text: string) => string) {
    this.runId = runId;
    this.seq = lastSeq;
    this.redact = redact;
  }

  emit(input: RunEventInput): RunEvent {
    const stamped = { ...input, runId: this.runId, seq: ++this.seq, time: new Date().toISOString() } as RunEvent;
    const event = this.redact ? redacted(stamped, this.redact) : stamped;
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

function redacted(event: RunEvent, redact: (text: string) => string): RunEvent {
  const text = JSON.stringify(event);
  const clean = redact(text);
  return clean === text ? event : (JSON.parse(clean) as RunEvent);
}
