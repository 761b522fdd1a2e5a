// The OpenTelemetry SDK set up for one runtime: a tracer and a meter exporting over OTLP/HTTP (protobuf or JSON)
// through a bounded, batched queue. Loaded only when telemetry is on. Export runs beside the runs and never holds
// them up, nor the process's exit: its sockets are unref'd and every export gives up after telemetry.otlp.timeout_s.
import http from 'node:http';
import https from 'node:https';
import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, trace, type Context, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { otlpUrls, type TelemetryConfig } from '../config/index.ts';
import { SCOPE } from './conventions.ts';
import type { ExportHealth } from './export-health.ts';

/** The bounded queue: spans beyond it are dropped (and counted), never buffered without limit. */
export const MAX_QUEUED_SPANS = 2048;
const BATCH_SIZE = 512;
const BATCH_DELAY_MS = 1000;
const METRIC_INTERVAL_MS = 15_000;

export interface Pipeline {
  tracer: Tracer | undefined;
  meter: Meter | undefined;
  /** The context a run's root span continues: the W3C `traceparent` given (a subagent's parent call), else none. */
  parentContext(traceparent: string | undefined): Context;
  traceparentOf(span: Span): string | undefined;
  /** Starts exporting what is queued now (not awaited by runs). */
  flush(): Promise<void>;
  /** Exports what is left, waiting at most `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<void>;
}

export async function createPipeline(config: TelemetryConfig, health: ExportHealth): Promise<Pipeline> {
  const urls = otlpUrls(config);
  const exporterOptions = (url: string) => ({
    url,
    headers: config.otlp.headers,
    timeoutMillis: Math.round(config.otlp.timeout_s * 1000),
    concurrencyLimit: 2,
    httpAgentOptions: unrefAgent,
  });
  const resource = resourceFromAttributes({ ...config.resource_attributes, 'service.name': config.service_name, 'service.version': SCOPE.version });
  const json = config.otlp.protocol === 'http/json';

  let tracerProvider: TracerProvider | undefined;
  if (urls.traces) {
    const { OTLPTraceExporter } = json ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
    const watch = new QueueWatch(health);
    const exporter = countingSpanExporter(new OTLPTraceExporter(exporterOptions(urls.traces)), health, watch);
    const batches = new BatchSpanProcessor({
      exporter,
      maxQueueSize: MAX_QUEUED_SPANS,
      maxExportBatchSize: BATCH_SIZE,
      scheduledDelayMillis: BATCH_DELAY_MS,
      exportTimeoutMillis: Math.round(config.otlp.timeout_s * 1000) + 1000,
    });
    tracerProvider = new TracerProvider({
      resource,
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sample_ratio) }),
      spanProcessors: [watch.wrap(batches)],
    });
  }
  let meterProvider: MeterProvider | undefined;
  if (urls.metrics) {
    const { OTLPMetricExporter } = json ? await import('@opentelemetry/exporter-metrics-otlp-http') : await import('@opentelemetry/exporter-metrics-otlp-proto');
    const exporter = countingMetricExporter(new OTLPMetricExporter(exporterOptions(urls.metrics)), health);
    const interval = METRIC_INTERVAL_MS;
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: interval, exportTimeoutMillis: Math.min(interval - 1, Math.round(config.otlp.timeout_s * 1000)) });
    meterProvider = new MeterProvider({ resource, readers: [reader] });
  }
  const propagator = new W3CTraceContextPropagator();
  return {
    tracer: tracerProvider?.getTracer(SCOPE.name, SCOPE.version),
    meter: meterProvider?.getMeter(SCOPE.name, SCOPE.version),
    parentContext: (traceparent) => (traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter) : ROOT_CONTEXT),
    traceparentOf: (span) => {
      const carrier: Record<string, string> = {};
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
      return carrier.traceparent;
    },
    flush: async () => {
      await tracerProvider?.forceFlush().catch(() => undefined);
    },
    shutdown: async (timeoutMs) => {
      const done = Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref()));
      await Promise.race([done, cap]);
      clearTimeout(timer);
    },
  };
}

/** Sockets that never keep the process alive: a hanging collector cannot delay `rein run`'s exit beyond the cap. */
async function unrefAgent(protocol: string): Promise<http.Agent> {
  const agent = protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const create = agent.createConnection.bind(agent) as (...args: unknown[]) => { unref?: () => void } | undefined;
  (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection = (...args: unknown[]) => {
    const socket = create(...args);
    socket?.unref?.();
    return socket;
  };
  return agent;
}

/**
 * Mirrors the batch processor's queue length (spans handed to it minus spans handed to the exporter), so spans it
 * drops for a full queue are counted: it drops exactly when that length has reached MAX_QUEUED_SPANS.
 */
class QueueWatch {
  private queued = 0;
  private readonly health: ExportHealth;

  constructor(health: ExportHealth) {
    this.health = health;
  }

  taken(count: number): void {
    this.queued = Math.max(0, this.queued - count);
  }

  wrap(inner: SpanProcessor): SpanProcessor {
    return {
      onStart: (span, context) => inner.onStart(span, context),
      onEnd: (span) => {
        if (span.spanContext().traceFlags & 1) {
          if (this.queued >= MAX_QUEUED_SPANS) this.health.dropped('spans', 1);
          else this.queued++;
        }
        inner.onEnd(span);
      },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
  }
}

function countingSpanExporter(inner: SpanExporter, health: ExportHealth, watch: QueueWatch): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => {
      watch.taken(spans.length);
      inner.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) health.exported('spans', spans.length);
        else health.failed('spans', spans.length, result.error);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => inner.forceFlush!() } : {}),
  };
}

function countingMetricExporter(inner: PushMetricExporter, health: ExportHealth): PushMetricExporter {
  const points = (metrics: ResourceMetrics) => metrics.scopeMetrics.reduce((n, scope) => n + scope.metrics.reduce((m, metric) => m + metric.dataPoints.length, 0), 0);
  return {
    export: (metrics, done) =>
      inner.export(metrics, (result) => {
        if (result.code === ExportResultCode.SUCCESS) health.exported('metrics', points(metrics));
        else health.failed('metrics', points(metrics), result.error);
        done(result);
      }),
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality ? { selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner) } : {}),
    ...(inner.selectAggregation ? { selectAggregation: inner.selectAggregation.bind(inner) } : {}),
  };
}
