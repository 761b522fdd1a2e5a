// How a subagent joins its parent's trace on either backend: the trace context travels in the environment the child
// gets anyway (TRACEPARENT beside REIN_AGENT_*), and a container reaches the host's loopback collector by the Docker
// host alias, which its own offline policy then allows (exactly that host and port).
import { describe, expect, it } from 'vitest';
import { ENV_TRACEPARENT, childConfig, dockerCommand, localCommand } from '../../../src/runtime/agents/index.ts';
import { parseConfig } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('subagent trace context', () => {
  it('passes TRACEPARENT through the scope environment of the local and the docker backend', () => {
    const launch = { home: '/tmp/rein-agent-1', configFile: '/tmp/rein-agent-1/rein.yaml', heapMb: 256, scopeEnv: { REIN_AGENT_DEPTH: '1', [ENV_TRACEPARENT]: TRACEPARENT } };
    expect(localCommand(launch, { env: {} }).env).toMatchObject({ TRACEPARENT });
    const docker = dockerCommand(launch, { image: 'rein:1', name: 'rein-agent-1-1' });
    expect(docker.args).toContain(`TRACEPARENT=${TRACEPARENT}`);
  });

  it('points a container at the host collector through the Docker host alias, allowed by its offline policy', () => {
    const config = testConfig('telemetry: { enabled: true, otlp: { endpoint: "http://127.0.0.1:4318", headers: { authorization: "Basic ${env:OTLP_AUTH}" } } }\nagents: { enabled: true }\npolicy: { model_egress: allow_list }\n', 'http://127.0.0.1:11434', { OTLP_AUTH: 'dXNlcjpwYXNz' });
    const role = { tools: ['*'], skills: [] } as unknown as Parameters<typeof childConfig>[1];
    const local = childConfig(config, role) as { telemetry: { otlp: { endpoint: string } } };
    expect(local.telemetry.otlp.endpoint).toBe('http://127.0.0.1:4318');
    const contained = childConfig(config, role, 'http://host.docker.internal:11434');
    const child = parseConfig(JSON.stringify(contained), { env: { REIN_HOME: '/tmp/rein-agent-x', OTLP_AUTH: 'dXNlcjpwYXNz' } });
    expect(child.telemetry.otlp.endpoint).toBe('http://host.docker.internal:4318');
    expect(child.policy).toMatchObject({ offline: true, allow_hosts: ['host.docker.internal:4318'], allowed_model_hosts: ['host.docker.internal:4318'] });
    // Without telemetry nothing changes.
    const off = testConfig('agents: { enabled: true }\n', 'http://127.0.0.1:11434');
    expect((childConfig(off, role, 'http://host.docker.internal:11434') as { policy: { allow_hosts: string[] } }).policy.allow_hosts).toEqual([]);
  });
});
