// The telemetry section: defaults (off), the OTEL_* variables on top of the file, and the egress rule — an OTLP
// endpoint the policy forbids is a config error naming the key, the line (or the variable) and the fixes.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/runtime/index.ts';
import { otlpUrls } from '../../../src/runtime/config/index.ts';
import { allowedEndpoints } from '../../../src/runtime/policy/index.ts';

const parse = (yaml: string, env: NodeJS.ProcessEnv = {}) => parseConfig(yaml, { file: '/x/rein.yaml', env: { REIN_HOME: '/tmp/rein-telemetry-test', ...env } });
const problem = (yaml: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    parse(yaml, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return undefined;
};

describe('telemetry config', () => {
  it('is off by default, with the standard OTLP/HTTP defaults', () => {
    const { telemetry } = parse('');
    expect(telemetry).toMatchObject({ enabled: false, capture_content: false, sample_ratio: 1, otlp: { endpoint: 'http://localhost:4318', protocol: 'http/protobuf', headers: {} } });
    expect(otlpUrls({ ...telemetry, enabled: true })).toEqual({ traces: 'http://localhost:4318/v1/traces', metrics: 'http://localhost:4318/v1/metrics' });
    // Off: the endpoint is not added to what offline mode lets through.
    expect(allowedEndpoints(parse('')).some((e) => e.port === 4318)).toBe(false);
  });

  it('takes the OTEL_* variables over the file, and treats header values as secrets', () => {
    const config = parse('telemetry: { enabled: true, otlp: { endpoint: "http://127.0.0.1:4318" } }', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:9999/otel/',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:9999/custom/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%20def123,broken',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_SERVICE_NAME: 'rein-ci',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
      OTEL_METRICS_EXPORTER: 'none',
    });
    expect(config.telemetry).toMatchObject({ service_name: 'rein-ci', resource_attributes: { 'deployment.environment': 'test' }, metrics: false, otlp: { protocol: 'http/json', headers: { 'x-api-key': 'abc def123' }, timeout_s: 2.5 } });
    expect(otlpUrls(config.telemetry)).toEqual({ traces: 'http://localhost:9999/custom/traces' });
    expect(config.secrets).toContain('abc def123');
    // The collector joins offline mode's allow-list, by its host and port.
    expect(allowedEndpoints(config)).toContainEqual({ host: 'localhost', port: 9999 });
    expect(parse('telemetry: { enabled: true }', { OTEL_SDK_DISABLED: 'true' }).telemetry.enabled).toBe(false);
  });

  it('says what is wrong with bad values', () => {
    expect(problem('telemetry: { enabled: true, otlp: { protocol: grpc } }')).toMatch(/rein\.yaml:1:\d+ +telemetry\.otlp\.protocol/);
    expect(problem('telemetry: { enabled: true, otlp: { endpoint: "localhost:4318" } }')).toMatch(/telemetry\.otlp\.endpoint: expected an http:\/\/ or https:\/\/ URL/);
    expect(problem('telemetry: { sample_ratio: 2 }')).toMatch(/telemetry\.sample_ratio/);
    expect(problem('telemetry: { enabled: true }', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL="grpc": Rein exports over HTTP only: use http\/protobuf or http\/json \(port 4318 instead of 4317\)/);
  });

  it('refuses an endpoint off this machine unless both model_egress and offline mode allow it, naming the key, line and fixes', () => {
    const yaml = 'telemetry:\n  enabled: true\n  otlp:\n    endpoint: "https://otel.example.com"\n';
    // The defaults (model_egress: local_only, offline: true): both rules refuse, and both fixes are named.
    expect(problem(yaml)).toContain(
      'rein.yaml:4:15  telemetry.otlp.endpoint: https://otel.example.com/v1/traces: otel.example.com is not on this machine and policy.model_egress is local_only and policy.offline is on: ' +
        'use a collector on loopback, or policy.model_egress: allow_list with allowed_model_hosts: [otel.example.com] (or model_egress: any), and add "otel.example.com" to policy.allow_hosts (or policy.offline: false)',
    );
    // Loopback in any spelling is this machine: always fine.
    for (const host of ['localhost', '127.0.0.1', '[::1]']) expect(problem(`telemetry: { enabled: true, otlp: { endpoint: "http://${host}:4318" } }`)).toBeUndefined();
    // Run data leaves only where models may run…
    expect(problem(`${yaml}policy: { offline: false }\n`)).toContain('policy.model_egress is local_only: use a collector on loopback, or policy.model_egress: allow_list');
    expect(problem(`${yaml}policy: { offline: false, model_egress: allow_list, allowed_model_hosts: [other.example.com] }\n`)).toContain('policy.model_egress is allow_list: use a collector on loopback, or add "otel.example.com" to policy.allowed_model_hosts');
    expect(problem(`${yaml}policy: { offline: false, model_egress: allow_list, allowed_model_hosts: ["otel.example.com:443"] }\n`)).toBeUndefined();
    expect(problem(`${yaml}policy: { offline: false, model_egress: any }\n`)).toBeUndefined();
    // …and, in offline mode, only to a listed host (host, or host:port).
    expect(problem(`${yaml}policy: { model_egress: any }\n`)).toContain('otel.example.com is not on this machine and policy.offline is on: use a collector on loopback, or add "otel.example.com" to policy.allow_hosts (or policy.offline: false)');
    expect(problem(`${yaml}policy: { model_egress: any, allow_hosts: ["otel.example.com"] }\n`)).toBeUndefined();
    expect(problem(`${yaml}policy: { model_egress: any, allow_hosts: ["otel.example.com:443"] }\n`)).toBeUndefined();
    expect(problem(`${yaml}policy: { model_egress: any, allow_hosts: ["otel.example.com:4318"] }\n`)).toContain('policy.offline is on');
    // Disabled telemetry is not checked; a variable names itself instead of a line.
    expect(problem('telemetry: { otlp: { endpoint: "https://otel.example.com" } }')).toBeUndefined();
    expect(problem('telemetry: { enabled: true }', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://10.0.0.8:4318' })).toContain(
      '/x/rein.yaml  telemetry.otlp.endpoint: http://10.0.0.8:4318/v1/traces (from OTEL_EXPORTER_OTLP_ENDPOINT): 10.0.0.8:4318 is not on this machine',
    );
    expect(problem('telemetry: { enabled: true, metrics: false, otlp: { traces_endpoint: "http://127.0.0.1:4318/v1/traces", endpoint: "http://far.example:4318" } }')).toBeUndefined();
  });
});
