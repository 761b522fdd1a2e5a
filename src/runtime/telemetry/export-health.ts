// Counts what export did (exported, failed, dropped) and speaks once per outage: the first failure says the collector
// is unreachable and that items are being dropped; the first success after it says export works again. Nothing
// per span. The counts go to the status file for `rein doctor`, at most every few seconds and at close.
import type { NoticeLevel } from '../../common/index.ts';
import { errorMessage } from '../base/index.ts';
import { writeTelemetryStatus, type SignalCounts, type TelemetryProcessStatus } from './status.ts';

export type Signal = 'spans' | 'metrics';

const WRITE_EVERY_MS = 5_000;

export class ExportHealth {
  private readonly status: TelemetryProcessStatus;
  private readonly dataDir: string;
  private readonly notify: (level: NoticeLevel, message: string) => void;
  private failing = false;
  private lostWhileFailing = 0;
  private writeTimer: NodeJS.Timeout | undefined;

  constructor(options: { dataDir: string; protocol: string; endpoints: TelemetryProcessStatus['endpoints']; notify: (level: NoticeLevel, message: string) => void }) {
    this.dataDir = options.dataDir;
    this.notify = options.notify;
    const now = new Date().toISOString();
    const zero = (): SignalCounts => ({ exported: 0, failed: 0, dropped: 0 });
    this.status = { pid: process.pid, startedAt: now, updatedAt: now, closed: false, protocol: options.protocol, endpoints: options.endpoints, spans: zero(), metrics: zero() };
  }

  get counts(): Readonly<Pick<TelemetryProcessStatus, 'spans' | 'metrics' | 'lastError'>> {
    return this.status;
  }

  /** The last export failed (the collector is down or not answering). */
  get isFailing(): boolean {
    return this.failing;
  }

  exported(signal: Signal, count: number): void {
    this.status[signal].exported += count;
    this.status.lastSuccessAt = new Date().toISOString();
    if (this.failing) {
      this.failing = false;
      const lost = this.lostWhileFailing;
      this.lostWhileFailing = 0;
      this.notify('info', `the collector answers again${lost ? ` (${lost} item${lost === 1 ? '' : 's'} lost meanwhile, see rein doctor)` : ''}`);
    }
    this.changed();
  }

  failed(signal: Signal, count: number, error: unknown): void {
    this.status[signal].failed += count;
    this.status.lastError = describe(error);
    this.status.lastErrorAt = new Date().toISOString();
    this.lostWhileFailing += count;
    if (!this.failing) {
      this.failing = true;
      const where = this.status.endpoints.traces ?? this.status.endpoints.metrics ?? 'the collector';
      this.notify('warn', `cannot export to ${where}: ${this.status.lastError}. Runs go on; spans and metrics are dropped until it answers (counted in rein doctor)`);
    }
    this.changed();
  }

  dropped(signal: Signal, count: number): void {
    this.status[signal].dropped += count;
    this.changed();
  }

  /** Writes the final counts now. */
  close(): void {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    this.status.closed = true;
    this.write();
  }

  private changed(): void {
    this.writeTimer ??= setTimeout(() => {
      this.writeTimer = undefined;
      this.write();
    }, WRITE_EVERY_MS).unref();
  }

  private write(): void {
    this.status.updatedAt = new Date().toISOString();
    writeTelemetryStatus(this.dataDir, this.status);
  }
}

/** An exporter's error in one line: the HTTP status and body of a refusal, or the network error. */
function describe(error: unknown): string {
  if (!error) return 'export failed';
  const e = error as { code?: unknown; data?: unknown; message?: unknown };
  const status = typeof e.code === 'number' ? `HTTP ${e.code}` : '';
  const body = typeof e.data === 'string' && e.data.trim() ? e.data.trim().slice(0, 200) : '';
  // The exporter's own wording for 429/502/503/504 answers it gave up retrying.
  const message = errorMessage(error)
    .replace(/^Export failed with retryable status$/, 'the collector kept answering "busy" (HTTP 429, 502, 503 or 504)')
    .replace(/^Concurrent export limit reached$/, 'earlier exports are still waiting for the collector to answer');
  return [status, message && message !== status ? message : '', body].filter(Boolean).join(': ').replace(/\s+/g, ' ').slice(0, 400) || 'export failed';
}
