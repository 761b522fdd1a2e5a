// Telemetry as a user meets it in a terminal: a forbidden collector is a config error (exit 2) before anything runs;
// `rein run` with OTEL_* variables exports; a dead collector costs one notice line and the run's exit code is its
// own; `rein doctor` checks the collector and reports what export did.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver } from '../support/otlp-receiver.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { tempDir } from '../support/fixtures.ts';
import { runRein } from '../support/cli.ts';

describe('rein with telemetry', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  const home = (yaml: string) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'rein.yaml'), yaml);
    return dir;
  };

  it('refuses a collector off this machine under policy.offline: exit 2, naming the key and line, nothing sent', async () => {
    const dir = home('telemetry:\n  enabled: true\n  otlp: { endpoint: "https://otel.example.com:4318" }\n');
    const result = await runRein(['run', 'hello'], { env: { REIN_HOME: dir, OLLAMA_HOST: ollama.url }, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, 'rein.yaml')}:3:21  telemetry.otlp.endpoint: https://otel.example.com:4318/v1/traces: otel.example.com:4318 is not on this machine and policy.model_egress is local_only and policy.offline is on`);
    const viaEnv = await runRein(['run', 'hello'], { env: { REIN_HOME: tempDir(), OLLAMA_HOST: ollama.url, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://192.0.2.10:4318' } });
    expect(viaEnv.code).toBe(0); // telemetry is off: the variable alone does not turn it on, nor is it checked
    const enabled = home('telemetry: { enabled: true }\n');
    const refused = await runRein(['doctor'], { env: { REIN_HOME: enabled, OLLAMA_HOST: ollama.url, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://192.0.2.10:4318' }, cwd: enabled });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(from OTEL_EXPORTER_OTLP_ENDPOINT): 192.0.2.10:4318 is not on this machine');
  }, 60_000);

  it('exports a `rein run` to the collector the OTEL_* variables name, and doctor reports it', async () => {
    const receiver = await OtlpReceiver.start();
    ollama.script([{ content: 'exported' }]);
    const dir = home('telemetry: { enabled: true }\n');
    const env = { REIN_HOME: dir, OLLAMA_HOST: ollama.url, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'rein-cli-test' };
    const result = await runRein(['run', 'say it'], { env, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('telemetry');
    const root = receiver.spans().find((s) => s.name === 'invoke_agent rein');
    expect(root?.resource['service.name']).toBe('rein-cli-test');
    expect(root?.attributes['rein.run.status']).toBe('completed');
    expect(receiver.metrics().some((m) => m.name === 'rein.runs')).toBe(true);

    const doctor = await runRein(['doctor'], { env, cwd: dir });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain(`✓ telemetry: the collector accepts traces at ${receiver.url}/v1/traces (http/json)`);
    expect(doctor.stdout).toMatch(/✓ telemetry: process \d+ until .*: spans [1-9]\d* exported, 0 failed, 0 dropped \(queue full\)/);
    await receiver.close();
  }, 60_000);

  it('a dead collector: the run completes with its own exit code, one notice line, and doctor says what was lost', async () => {
    const gone = await OtlpReceiver.start();
    const url = gone.url;
    await gone.close(); // nothing listens there now
    ollama.script([{ toolCalls: [{ name: 'nothing', arguments: {} }] }, { content: 'done anyway' }]);
    const dir = home(`telemetry: { enabled: true, otlp: { endpoint: "${url}", timeout_s: 0.5 } }\n`);
    const started = performance.now();
    const result = await runRein(['run', 'work'], { env: { REIN_HOME: dir, OLLAMA_HOST: ollama.url }, cwd: dir });
    expect(result.code).toBe(0);
    expect(performance.now() - started).toBeLessThan(20_000); // the process is not held by export
    expect(result.stderr.match(/⚠ telemetry: cannot export to .*ECONNREFUSED/g)).toHaveLength(1);
    const doctor = await runRein(['doctor'], { env: { REIN_HOME: dir, OLLAMA_HOST: ollama.url }, cwd: dir });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`✗ telemetry: cannot reach the collector at ${url}/v1/traces`);
    expect(doctor.stdout).toMatch(/⚠ telemetry: process \d+ until .*: spans 0 exported, [1-9]\d* failed, 0 dropped \(queue full\).*last error .*ECONNREFUSED/);
  }, 60_000);
});
