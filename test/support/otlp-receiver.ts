// A real OTLP/HTTP receiver on loopback: it accepts what the official OpenTelemetry exporters send to /v1/traces and
// /v1/metrics — protobuf (decoded with protobufjs against the OTLP message definitions below) or JSON — and keeps
// the raw bodies too, so a test can look for text anywhere in what left the process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

// The parts of opentelemetry-proto (common, resource, trace, metrics and the two collector requests) a receiver
// needs, with their field numbers as published.
const OTLP_PROTO = `
syntax = "proto3";
package otlp;
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
  ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Status { string message = 2; int32 code = 3; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5; int32 kind = 6;
  fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; uint32 dropped_events_count = 12; repeated Link links = 13; uint32 dropped_links_count = 14; Status status = 15; fixed32 flags = 16; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message NumberDataPoint { repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; } uint32 flags = 8; }
message HistogramDataPoint { repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3; fixed64 count = 4;
  optional double sum = 5; repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7; uint32 flags = 10; optional double min = 11; optional double max = 12; }
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message Metric { string name = 1; string description = 2; string unit = 3; oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; } }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
`;

const root = protobuf.parse(OTLP_PROTO, { keepCase: false }).root;
const TraceRequest = root.lookupType('otlp.ExportTraceServiceRequest');
const MetricsRequest = root.lookupType('otlp.ExportMetricsServiceRequest');

export type Attributes = Record<string, unknown>;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  events: { name: string; attributes: Attributes }[];
  status: { code: number; message?: string };
  resource: Attributes;
}

export interface ReceivedPoint {
  attributes: Attributes;
  value?: number;
  count?: number;
  sum?: number;
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  points: ReceivedPoint[];
}

export interface ReceivedRequest {
  path: string;
  contentType: string;
  body: Buffer;
}

export interface ReceiverOptions {
  /** Answer each request after this long. */
  delayMs?: number;
  /** Never answer (a collector that hangs). */
  hang?: boolean;
  /** Answer with this status instead of 200. */
  status?: number;
}

export class OtlpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: http.Server;
  private options: ReceiverOptions;
  private waiters: (() => void)[] = [];

  private constructor(server: http.Server, options: ReceiverOptions) {
    this.server = server;
    this.options = options;
  }

  static async start(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
    const server = http.createServer();
    const receiver = new OtlpReceiver(server, options);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Changes how later requests are answered (e.g. a collector that comes back). */
  answerWith(options: ReceiverOptions): void {
    this.options = options;
  }

  spans(): ReceivedSpan[] {
    return this.requests.filter((r) => r.path === '/v1/traces').flatMap((r) => decodeTraces(r));
  }

  metrics(): ReceivedMetric[] {
    return this.requests.filter((r) => r.path === '/v1/metrics').flatMap((r) => decodeMetrics(r));
  }

  /** Every body as text (protobuf strings are UTF-8 bytes, so text inside them is found too). */
  rawText(): string {
    return this.requests.map((r) => r.body.toString('utf8')).join('\n');
  }

  async waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`OTLP receiver: timed out after ${timeoutMs} ms (${this.requests.length} requests so far)`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks) });
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((wake) => wake());
      if (this.options.hang) return;
      const answer = () => {
        const json = String(req.headers['content-type']).includes('json');
        res.writeHead(this.options.status ?? 200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        res.end(json ? '{}' : Buffer.alloc(0));
      };
      if (this.options.delayMs) setTimeout(answer, this.options.delayMs);
      else answer();
    });
  }
}

// ── decoding: both encodings to one plain shape ──

type Json = Record<string, unknown>;

function decodeTraces(request: ReceivedRequest): ReceivedSpan[] {
  const body = decode(request, TraceRequest);
  return list(body.resourceSpans).flatMap((rs) => {
    const resource = attributesOf((rs.resource as Json | undefined)?.attributes);
    return list(rs.scopeSpans).flatMap((ss) =>
      list(ss.spans).map((span) => {
        const status = (span.status ?? {}) as Json;
        const parent = id(span.parentSpanId);
        return {
          traceId: id(span.traceId)!,
          spanId: id(span.spanId)!,
          ...(parent ? { parentSpanId: parent } : {}),
          name: String(span.name),
          kind: Number(span.kind ?? 0),
          startMs: Number(BigInt(String(span.startTimeUnixNano)) / 1_000_000n),
          endMs: Number(BigInt(String(span.endTimeUnixNano)) / 1_000_000n),
          attributes: attributesOf(span.attributes),
          events: list(span.events).map((e) => ({ name: String(e.name), attributes: attributesOf(e.attributes) })),
          status: { code: Number(status.code ?? 0), ...(status.message ? { message: String(status.message) } : {}) },
          resource,
        };
      }),
    );
  });
}

function decodeMetrics(request: ReceivedRequest): ReceivedMetric[] {
  const body = decode(request, MetricsRequest);
  return list(body.resourceMetrics).flatMap((rm) =>
    list(rm.scopeMetrics).flatMap((sm) =>
      list(sm.metrics).map((metric) => {
        const data = (metric.sum ?? metric.histogram ?? metric.gauge ?? {}) as Json;
        const points = list(data.dataPoints).map((p) => ({
          attributes: attributesOf(p.attributes),
          ...(p.asDouble !== undefined ? { value: Number(p.asDouble) } : p.asInt !== undefined ? { value: Number(p.asInt) } : {}),
          ...(p.count !== undefined ? { count: Number(p.count) } : {}),
          ...(p.sum !== undefined ? { sum: Number(p.sum) } : {}),
        }));
        return { name: String(metric.name), unit: String(metric.unit ?? ''), points };
      }),
    ),
  );
}

function decode(request: ReceivedRequest, type: protobuf.Type): Json {
  if (request.contentType.includes('json')) return JSON.parse(request.body.toString('utf8')) as Json;
  if (!request.contentType.includes('protobuf')) throw new Error(`OTLP receiver: unexpected content type "${request.contentType}"`);
  return type.toObject(type.decode(request.body), { longs: String }) as Json; // bytes stay bytes (ids)
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** Hex in OTLP/JSON, bytes in protobuf. */
function id(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const hex = Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString('hex') : String(value);
  return hex.length > 0 ? hex : undefined;
}

function attributesOf(value: unknown): Attributes {
  return Object.fromEntries(list(value).map((kv) => [String(kv.key), anyValue(kv.value as Json | undefined)]));
}

function anyValue(value: Json | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return list((value.arrayValue as Json).values).map((v) => anyValue(v));
  if (value.kvlistValue !== undefined) return attributesOf((value.kvlistValue as Json).values);
  return undefined;
}
