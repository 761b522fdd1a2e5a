// How export went, per process, in <dataDir>/telemetry-status.json: `rein doctor` (another process) reports it.
// Each process that exports keeps its own entry (the host, a `rein run`); the most recent few are kept.
import fs from 'node:fs';
import path from 'node:path';

export const STATUS_FILE = 'telemetry-status.json';
const KEEP = 5;

export interface SignalCounts {
  /** Items the collector accepted. */
  exported: number;
  /** Items in exports that failed (collector down, refused, timed out). */
  failed: number;
  /** Items dropped before any export because the bounded queue was full. */
  dropped: number;
}

export interface TelemetryProcessStatus {
  pid: number;
  startedAt: string;
  updatedAt: string;
  /** False while the process runs (as far as it knows); true once it flushed and closed. */
  closed: boolean;
  protocol: string;
  endpoints: { traces?: string; metrics?: string };
  spans: SignalCounts;
  metrics: SignalCounts;
  lastError?: string;
  lastErrorAt?: string;
  lastSuccessAt?: string;
}

/** Replaces this process's entry (by pid); never throws (status is best effort, a run never waits on it). */
export function writeTelemetryStatus(dataDir: string, status: TelemetryProcessStatus): void {
  try {
    const others = readTelemetryStatus(dataDir).filter((entry) => entry.pid !== status.pid || entry.startedAt !== status.startedAt);
    const entries = [status, ...others].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, KEEP);
    const file = path.join(dataDir, STATUS_FILE);
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(entries, null, 1)}\n`, { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    // a read-only or vanished data dir: nothing to report then
  }
}

/** The recorded processes, newest first; empty when none exported yet (or the file is unreadable). */
export function readTelemetryStatus(dataDir: string): TelemetryProcessStatus[] {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(path.join(dataDir, STATUS_FILE), 'utf8'));
    return Array.isArray(value) ? value.filter(isStatus) : [];
  } catch {
    return [];
  }
}

function isStatus(value: unknown): value is TelemetryProcessStatus {
  const entry = value as Partial<TelemetryProcessStatus> | null;
  return typeof entry?.pid === 'number' && typeof entry.updatedAt === 'string' && typeof entry.spans === 'object' && typeof entry.metrics === 'object';
}
