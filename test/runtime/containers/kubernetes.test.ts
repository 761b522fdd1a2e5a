// The subagent contract as a Kubernetes Job: generated from the same spec as the Podman/Docker command line, and the
// manifest printed in docs/subagents-kubernetes.md is exactly what the generator makes for the documented example.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ContainerBackend } from '../../../src/runtime/agents/index.ts';
import { kubernetesManifest, kubernetesObjects, runArgs } from '../../../src/runtime/containers/index.ts';
import { testConfig } from '../../support/fixtures.ts';

const DOC = path.resolve(import.meta.dirname, '../../../docs/subagents-kubernetes.md');

/** The documented example: a researcher role, 768 MB, 1.5 CPUs, a 5-minute limit, one secret. */
function example() {
  const config = testConfig(
    `agents:
  enabled: true
  backend: container
  timeout_s: 300
  max_heap_mb: 512
  container: { image: registry.example.com/rein-agent:0.1.0, cpus: 1.5, memory_mb: 768 }
  roles:
    researcher: { tools: ["fs__read_*"] }
`,
    'http://127.0.0.1:11434',
  );
  const backend = new ContainerBackend(config, { parent: 'laptop/4242/8123456' });
  const launch = {
    agentId: 'researcher#2',
    runId: 'run_5f2c',
    home: '/tmp/rein-agent-x',
    configFile: '/tmp/rein-agent-x/rein.yaml',
    heapMb: 512,
    memoryMb: 768,
    scopeEnv: { REIN_AGENT_DEPTH: '1', REIN_AGENT_TOOLS: '["fs__read_file"]', REIN_AGENT_SKILLS: '[]', REIN_AGENT_ROLE: 'researcher', REIN_AGENT_MODEL: 'parent' },
    secretEnv: { REIN_PARENT_SECRET_0: 'sk-live-do-not-print' },
  };
  const spec = backend.spec(launch, config.agents.roles.researcher!, 'rein-agent-4242-2-k3v9');
  const options = { timeoutS: config.agents.timeout_s, namespace: 'rein', configYaml: '# the subagent\'s rein.yaml, written by the parent (secrets only as ${env:NAME})\nruntime: { max_steps: 15 }\n' };
  return { spec, options };
}

interface JobShape {
  metadata: { labels: Record<string, string> };
  spec: { template: { spec: { containers: { env: unknown[] }[] } } };
}

describe('subagent as a Kubernetes Job', () => {
  it('keeps the contract: stdio MCP, no network, limits, non-root read-only, secrets by reference, cleanup by the cluster', () => {
    const { spec, options } = example();
    const [configMap, secret, job, policy] = kubernetesObjects(spec, options) as [object, object, JobShape, { spec: { ingress?: unknown; egress?: unknown } }];
    expect(configMap).toMatchObject({ kind: 'ConfigMap', data: { 'rein.yaml': options.configYaml } });
    expect(secret).toMatchObject({ kind: 'Secret', stringData: { REIN_PARENT_SECRET_0: '<set by the parent>' } });
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 60 });
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 10001 } });
    const container = pod.containers[0]!;
    expect(container).toMatchObject({
      image: 'registry.example.com/rein-agent:0.1.0',
      args: ['mcp', '--config', '/rein/config/rein.yaml'],
      stdin: true,
      stdinOnce: true,
      resources: { limits: { cpu: '1.5', memory: '768Mi' } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
    expect(container.env).toContainEqual({ name: 'REIN_PARENT_SECRET_0', valueFrom: { secretKeyRef: { name: 'rein-agent-4242-2-k3v9-secret', key: 'REIN_PARENT_SECRET_0' } } });
    expect(container.env).toContainEqual({ name: 'REIN_AGENT_MODEL', value: 'parent' });
    expect(policy).toMatchObject({ kind: 'NetworkPolicy', spec: { policyTypes: ['Ingress', 'Egress'] } });
    expect(policy.spec.ingress ?? policy.spec.egress).toBeUndefined(); // both directions denied
    expect(job.metadata.labels).toMatchObject({ 'rein.dev/agent': 'rein-agent-4242-2-k3v9', 'rein.dev/role': 'researcher', 'rein.dev/run': 'run_5f2c' });
    const manifest = kubernetesManifest(spec, options);
    expect(manifest).not.toContain('sk-live-do-not-print');
    expect(parseAllDocuments(manifest).every((doc) => doc.errors.length === 0)).toBe(true);
    // The same limits as the engine's command line of this spec.
    expect(runArgs('podman', spec).join(' ')).toContain('--memory 768m --memory-swap 768m --cpus 1.5');
  });

  it('docs/subagents-kubernetes.md shows exactly the generated manifest', () => {
    const { spec, options } = example();
    const doc = fs.readFileSync(DOC, 'utf8');
    const block = /<!-- generated manifest -->\n```yaml\n([\s\S]*?)```/.exec(doc);
    expect(block, 'a ```yaml block after <!-- generated manifest --> in the doc').not.toBeNull();
    expect(block![1]).toBe(kubernetesManifest(spec, options));
  });
});
