// `rein doctor`, telemetry part: does the collector accept an export, and how did export go for the last processes.
import { errorMessageOf, otlpUrls, readTelemetryStatus, type ReinConfig } from '../../runtime/index.ts';
import type { Check } from './doctor-model.ts';

/** With telemetry on: does the collector accept an (empty) export, and how did export go for the last processes. */
export async function telemetryChecks(config: ReinConfig): Promise<Check[]> {
  const { telemetry } = config;
  if (!telemetry.enabled) return [];
  const json = telemetry.otlp.protocol === 'http/json';
  const checks: Check[] = [];
  for (const [signal, url] of Object.entries(otlpUrls(telemetry))) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...telemetry.otlp.headers, 'content-type': json ? 'application/json' : 'application/x-protobuf' },
        body: json ? '{}' : new Uint8Array(0),
        signal: AbortSignal.timeout(5000),
      });
      await response.body?.cancel();
      checks.push(
        response.ok
          ? { ok: true, label: `telemetry: the collector accepts ${signal} at ${url} (${telemetry.otlp.protocol})` }
          : { ok: false, label: `telemetry: the collector at ${url} refused ${signal}: HTTP ${response.status}`, fix: `check telemetry.otlp (endpoint, headers${signal === 'metrics' ? '; a backend that takes traces only: telemetry.metrics: false' : ''})` },
      );
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause; // fetch's own message is just "fetch failed"
      checks.push({ ok: false, label: `telemetry: cannot reach the collector at ${url}: ${errorMessageOf(cause ?? error)}`, fix: 'start the collector, or fix telemetry.otlp.endpoint (runs go on meanwhile; what they export is dropped)' });
    }
  }
  for (const entry of readTelemetryStatus(config.dataDir).slice(0, 3)) {
    const lost = entry.spans.failed + entry.spans.dropped + entry.metrics.failed + entry.metrics.dropped;
    const counts = (c: { exported: number; failed: number; dropped: number }) => `${c.exported} exported, ${c.failed} failed, ${c.dropped} dropped (queue full)`;
    checks.push({
      ok: true,
      ...(lost ? { warn: true } : {}),
      label: `telemetry: process ${entry.pid}${entry.closed ? '' : ' (running)'} until ${entry.updatedAt}: spans ${counts(entry.spans)}; metric points ${counts(entry.metrics)}${entry.lastError ? `; last error ${entry.lastErrorAt}: ${entry.lastError}` : ''}`,
      ...(lost ? { fix: 'failed: the collector was down or refused; dropped: it could not keep up with the queue (2048 spans). Check the collector, or lower telemetry.sample_ratio' } : {}),
    });
  }
  return checks;
}
