// `telemetry`: OpenTelemetry export over OTLP/HTTP (off by default). The standard OTEL_* variables override the file,
// as OLLAMA_HOST overrides model.host; the result is what the runtime uses and what a subagent's rein.yaml gets.
import { z } from 'zod';

const httpUrl = z.string().refine((text) => {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}, 'expected an http:// or https:// URL');

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

export const telemetrySchema = z.strictObject({
  enabled: z.boolean().default(false),
  otlp: z
    .strictObject({
      /** Base URL of an OTLP/HTTP collector; traces go to <endpoint>/v1/traces, metrics to <endpoint>/v1/metrics. */
      endpoint: httpUrl.default('http://localhost:4318'),
      /** Full URLs per signal, used as given (e.g. a backend that takes traces only). */
      traces_endpoint: httpUrl.optional(),
      metrics_endpoint: httpUrl.optional(),
      protocol: z.enum(OTLP_PROTOCOLS).default('http/protobuf'),
      /** Sent with every export, e.g. `Authorization: "Basic ${env:LANGFUSE_AUTH}"`. */
      headers: z.record(z.string().min(1), z.string()).default({}),
      /** One export (with its retries) gives up after this long; it never holds up a run. */
      timeout_s: z.number().positive().max(60).default(5),
    })
    .prefault({}),
  /** Prompts, answers, tool arguments and results in spans (redacted like everything Rein writes). Off: none. */
  capture_content: z.boolean().default(false),
  /** Share of runs traced (subagents follow their parent's choice). Metrics always count every run. */
  sample_ratio: z.number().min(0).max(1).default(1),
  traces: z.boolean().default(true),
  metrics: z.boolean().default(true),
  service_name: z.string().min(1).default('rein'),
  /** Extra resource attributes (OTEL_RESOURCE_ATTRIBUTES adds to these). */
  resource_attributes: z.record(z.string().min(1), z.string()).default({}),
});

export type TelemetryConfig = z.output<typeof telemetrySchema>;

/** The effective section; which OTEL_* variable set a key (by key path, for error messages); values to redact. */
export interface ResolvedTelemetry {
  telemetry: TelemetryConfig;
  fromEnv: Record<string, string>;
  secrets: string[];
  problems: { path: string; message: string }[];
}

/** Applies OTEL_SDK_DISABLED, OTEL_EXPORTER_OTLP_*, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_{TRACES,METRICS}_EXPORTER=none. */
export function resolveTelemetry(section: TelemetryConfig, env: NodeJS.ProcessEnv): ResolvedTelemetry {
  const fromEnv: Record<string, string> = {};
  const problems: ResolvedTelemetry['problems'] = [];
  const secrets: string[] = [];
  const otlp = { ...section.otlp, headers: { ...section.otlp.headers } };
  const set = <K extends 'endpoint' | 'traces_endpoint' | 'metrics_endpoint'>(key: K, name: string) => {
    const value = env[name]?.trim();
    if (!value) return;
    const parsed = httpUrl.safeParse(value);
    if (parsed.success) {
      otlp[key] = value;
      fromEnv[`telemetry.otlp.${key}`] = name;
    } else problems.push({ path: `telemetry.otlp.${key}`, message: `${name}="${value}": expected an http:// or https:// URL` });
  };
  set('endpoint', 'OTEL_EXPORTER_OTLP_ENDPOINT');
  set('traces_endpoint', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  set('metrics_endpoint', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim();
  if (protocol) {
    if ((OTLP_PROTOCOLS as readonly string[]).includes(protocol)) otlp.protocol = protocol as TelemetryConfig['otlp']['protocol'];
    else problems.push({ path: 'telemetry.otlp.protocol', message: `OTEL_EXPORTER_OTLP_PROTOCOL="${protocol}": Rein exports over HTTP only: use http/protobuf or http/json${protocol === 'grpc' ? ' (port 4318 instead of 4317)' : ''}` });
  }
  for (const [key, value] of Object.entries(parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS))) {
    otlp.headers[key] = value;
  }
  const timeout = env.OTEL_EXPORTER_OTLP_TIMEOUT?.trim();
  if (timeout) {
    const ms = Number(timeout);
    if (Number.isFinite(ms) && ms > 0) otlp.timeout_s = Math.min(60, ms / 1000);
    else problems.push({ path: 'telemetry.otlp.timeout_s', message: `OTEL_EXPORTER_OTLP_TIMEOUT="${timeout}": expected milliseconds` });
  }
  // Header values are credentials (an Authorization header): redacted wherever Rein writes, and passed to a subagent
  // by reference, never in its rein.yaml.
  secrets.push(...Object.values(otlp.headers));
  const off = (name: string) => env[name]?.trim().toLowerCase() === 'none';
  const telemetry: TelemetryConfig = {
    ...section,
    enabled: section.enabled && env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true',
    otlp,
    traces: section.traces && !off('OTEL_TRACES_EXPORTER'),
    metrics: section.metrics && !off('OTEL_METRICS_EXPORTER'),
    service_name: env.OTEL_SERVICE_NAME?.trim() || section.service_name,
    resource_attributes: { ...section.resource_attributes, ...parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES) },
  };
  return { telemetry, fromEnv, secrets, problems };
}

/** Where each signal goes: a signal's own endpoint as given, else <endpoint>/v1/<signal>. */
export function otlpUrls(telemetry: TelemetryConfig): { traces?: string; metrics?: string } {
  const base = telemetry.otlp.endpoint.replace(/\/+$/, '');
  return {
    ...(telemetry.traces ? { traces: telemetry.otlp.traces_endpoint ?? `${base}/v1/traces` } : {}),
    ...(telemetry.metrics ? { metrics: telemetry.otlp.metrics_endpoint ?? `${base}/v1/metrics` } : {}),
  };
}

/** `key1=value1,key2=value2` with URL-encoded values (the OTEL_* list format); malformed entries are skipped. */
function parseKeyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of (text ?? '').split(',')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    const key = entry.slice(0, at).trim();
    try {
      if (key) out[key] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      // a malformed escape: skip the entry
    }
  }
  return out;
}
