// The OpenTelemetry SDK set up for one runtime: a tracer and a meter exporting over OTLP/HTTP (protobuf or JSON)
// through a bounded, batched queue. Loaded only when telemetry is on. Export runs beside the runs and never holds
// them up, nor the process's exit for long: its sockets are unref'd, and once closing no export is retried and
// what is still in flight after the close timeout is cut off.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
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
  const sockets = new ExportSockets();
  const exporterOptions = (url: string) => ({
    url,
    headers: config.otlp.headers,
    timeoutMillis: Math.round(config.otlp.timeout_s * 1000),
    concurrencyLimit: 2,
    httpAgentOptions: (protocol: string) => sockets.agent(protocol),
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
      sockets.closing = true;
      const done = Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]).then(() => true);
      if (!(await within(done, timeoutMs))) {
        sockets.abort(); // a collector that does not answer: its requests end now, and with them the SDK's timers
        await within(done, 100);
      }
    },
  };
}

async function within(done: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms).unref()));
  const finished = await Promise.race([done, cap]);
  clearTimeout(timer);
  return finished;
}

/** Marks a network error as final: the exporter retries only errors with the usual network codes. */
const CLOSING = 'REIN_TELEMETRY_CLOSING';

/**
 * The exporters' sockets: unref'd (an open export never keeps the process alive by itself); once closing, a network
 * error is final (no retry rounds at exit), and abort() ends whatever still waits for a collector that does not answer.
 */
class ExportSockets {
  closing = false;
  private readonly live = new Set<net.Socket>();

  agent(protocol: string): http.Agent {
    const agent = protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    const create = agent.createConnection.bind(agent) as (...args: unknown[]) => net.Socket | undefined;
    (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection = (...args: unknown[]) => {
      const socket = create(...args);
      if (!socket) return socket;
      socket.unref();
      this.live.add(socket);
      socket.once('close', () => this.live.delete(socket));
      // Before the request's own listener: while closing, the error is not one to retry.
      socket.prependListener('error', (error: NodeJS.ErrnoException) => {
        if (this.closing) error.code = CLOSING;
      });
      return socket;
    };
    return agent;
  }

  abort(): void {
    for (const socket of this.live) socket.destroy(Object.assign(new Error('telemetry closed before the collector answered'), { code: CLOSING }));
  }
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
