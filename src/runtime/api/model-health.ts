// Pushes the default model's health to the shells: checked every few seconds while someone listens (more often while
// it is down or loading), and at once when a run's model call fails, so Send is disabled with one banner while the
// server is unreachable and comes back within seconds of its return. Only changes are pushed.
import type { ModelStatus, ModelStatusEvent, RunEvent } from '../../common/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { modelStatus } from './models.ts';

export interface ModelHealthOptions {
  /** Between checks while the model is ready. */
  healthyMs?: number;
  /** Between checks while it is unreachable, missing or loading. */
  troubleMs?: number;
}

export class ModelHealth {
  private readonly runtime: ApiRuntime;
  private readonly emit: (event: ModelStatusEvent) => void;
  private readonly healthyMs: number;
  private readonly troubleMs: number;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private last: string | undefined;
  private status: ModelStatus | undefined;
  private lastEvent: ModelStatusEvent | undefined;
  private active = false;
  private stopEvents: (() => void) | undefined;

  constructor(runtime: ApiRuntime, emit: (event: ModelStatusEvent) => void, options: ModelHealthOptions = {}) {
    this.runtime = runtime;
    this.emit = emit;
    this.healthyMs = options.healthyMs ?? 4000;
    this.troubleMs = options.troubleMs ?? 1500;
  }

  /** Starts watching (the first listener subscribed). */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.stopEvents = this.runtime.onEvent((event) => {
      if (failedModelCall(event)) void this.check();
      // A new run may make the server load the model: look once its request is out.
      else if (event.type === 'run.started' || event.type === 'run.resumed') setTimeout(() => { if (this.active) void this.check(); }, 700).unref();
      else if (event.type === 'model.completed' && this.status?.loading) void this.check();
    });
    this.check();
  }

  /** The last status pushed, for a listener that arrives later (a new window). */
  get latest(): ModelStatusEvent | undefined {
    return this.lastEvent;
  }

  /** Stops watching (the last listener left). */
  stop(): void {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopEvents?.();
    this.stopEvents = undefined;
  }

  /** Checks now (a shell asked, or a model call failed); the next check is scheduled from here. */
  check(): Promise<void> {
    this.checking ??= (async () => {
      try {
        const status = await modelStatus(this.runtime);
        this.status = status;
        // The same state with other error wording (ECONNREFUSED, then a reset socket) is the same cause: said once.
        const { error: _wording, ...state } = status;
        const key = JSON.stringify(state);
        if (key !== this.last) {
          this.last = key;
          this.lastEvent = { type: 'model.status', time: new Date().toISOString(), status };
          this.emit(this.lastEvent);
        }
      } catch {
        // modelStatus reports failures as a status; anything else waits for the next check
      } finally {
        this.checking = undefined;
        this.schedule();
      }
    })();
    return this.checking;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.active) return;
    const ready = this.status?.reachable && this.status.present && !this.status.loading;
    this.timer = setTimeout(() => void this.check(), ready ? this.healthyMs : this.troubleMs);
    this.timer.unref();
  }
}

/** A run event that says the model server may have gone: a retry, or a run that failed. */
function failedModelCall(event: RunEvent): boolean {
  return event.type === 'model.retry' || (event.type === 'run.finished' && event.status === 'failed');
}
