// How a subagent joins its parent's trace on either backend: the trace context travels in the environment the child
// gets anyway (TRACEPARENT beside REIN_AGENT_*). A `model-host` container reaches the host's loopback collector by the
// model host's alias, which its own policy then allows (exactly that host and port); a container without a route
// exports nothing of its own.
import { describe, expect, it } from 'vitest';
import { ContainerBackend, ENV_TRACEPARENT, childConfig, localCommand } from '../../../src/runtime/agents/index.ts';
import { parseConfig } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const ROLE = { description: '', tools: ['*'], skills: [], mounts: [] };

describe('subagent trace context', () => {
  it('passes TRACEPARENT through the scope environment of the local and the container backend', () => {
    const launch = {
      agentId: 'default#1', home: '/tmp/rein-agent-1', configFile: '/tmp/rein-agent-1/rein.yaml', heapMb: 256, memoryMb: 512,
      scopeEnv: { REIN_AGENT_DEPTH: '1', [ENV_TRACEPARENT]: TRACEPARENT }, secretEnv: {},
    };
    expect(localCommand(launch, { env: {} }).env).toMatchObject({ TRACEPARENT });
    const config = testConfig('agents: { enabled: true, backend: container }\n', 'http://127.0.0.1:11434');
    const command = new ContainerBackend(config).command({ name: 'podman', bin: 'podman', version: '4.3.1' }, launch, ROLE, 'rein-agent-1-1');
    expect(command.args).toContain(`TRACEPARENT=${TRACEPARENT}`);
  });

  it('points a model-host container at the host collector through the alias, allowed by its policy; a container without a route exports nothing', () => {
    const config = testConfig('telemetry: { enabled: true, otlp: { endpoint: "http://127.0.0.1:4318", headers: { authorization: "Basic ${env:OTLP_AUTH}" } } }\nagents: { enabled: true }\npolicy: { model_egress: allow_list }\n', 'http://127.0.0.1:11434', { OTLP_AUTH: 'dXNlcjpwYXNz' });
    const local = childConfig(config, ROLE) as { telemetry: { enabled: boolean; otlp: { endpoint: string } } };
    expect(local.telemetry).toMatchObject({ enabled: true, otlp: { endpoint: 'http://127.0.0.1:4318' } });
    const contained = childConfig(config, ROLE, 'http://rein-model-host:11434');
    const child = parseConfig(JSON.stringify(contained), { env: { REIN_HOME: '/tmp/rein-agent-x', OTLP_AUTH: 'dXNlcjpwYXNz' } });
    expect(child.telemetry.otlp.endpoint).toBe('http://rein-model-host:4318');
    expect(child.policy).toMatchObject({ offline: true, allow_hosts: ['rein-model-host:4318'], allowed_model_hosts: ['rein-model-host:11434', 'rein-model-host:4318'] });
    const unrouted = childConfig(config, ROLE, undefined, true) as { telemetry: { enabled: boolean } };
    expect(unrouted.telemetry.enabled).toBe(false);
    // Without telemetry only the model's alias is let through.
    const off = testConfig('agents: { enabled: true }\n', 'http://127.0.0.1:11434');
    expect((childConfig(off, ROLE, 'http://rein-model-host:11434') as { policy: { allow_hosts: string[] } }).policy.allow_hosts).toEqual([]);
  });
});
