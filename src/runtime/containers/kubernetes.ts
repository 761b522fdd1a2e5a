// The container spec of a subagent as Kubernetes objects (design only: docs/subagents-kubernetes.md; no API server
// runs here, so Rein has no Kubernetes backend). The same contract as Podman/Docker: MCP over the pod's stdin/stdout
// (the parent attaches like `kubectl attach -i`; stdinOnce ends the pod when it detaches), no network, the model
// through the parent, limits, a non-root read-only container, secrets by name, cleanup by the cluster.
import { stringify } from 'yaml';
import { CONFIG_FILE, CONTAINER_USER, DATA_MOUNT, type ContainerSpec } from './run-spec.ts';

export interface JobOptions {
  /** agents.timeout_s: the cluster ends the pod then, even when its parent is gone. */
  timeoutS: number;
  /** The subagent's rein.yaml (secrets only as ${env:NAME} references). */
  configYaml: string;
  namespace?: string;
}

type Manifest = Record<string, unknown>;

/** ConfigMap (rein.yaml), Secret (the names the config refers to; the parent fills the values), Job, NetworkPolicy. */
export function kubernetesObjects(spec: ContainerSpec, options: JobOptions): Manifest[] {
  const name = kubernetesName(spec.name);
  const metadata = (kind: string) => ({ name: kind === 'Job' ? name : `${name}-${kind.toLowerCase()}`, ...(options.namespace ? { namespace: options.namespace } : {}), labels: labelsOf(spec), annotations: { 'rein.dev/parent': spec.parent } });
  const [uid, gid] = CONTAINER_USER.split(':').map(Number);
  const secret = `${name}-secret`;
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('ConfigMap'), data: { 'rein.yaml': options.configYaml } },
    ...(spec.secretNames.length
      ? [{ apiVersion: 'v1', kind: 'Secret', metadata: metadata('Secret'), type: 'Opaque', stringData: Object.fromEntries(spec.secretNames.map((key) => [key, '<set by the parent>'])) }]
      : []),
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: metadata('Job'),
      spec: {
        backoffLimit: 0, // a crashed subagent is reported, not retried
        activeDeadlineSeconds: options.timeoutS,
        ttlSecondsAfterFinished: 60,
        template: {
          metadata: { labels: labelsOf(spec) },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false, // no API access from inside
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: gid, fsGroup: gid, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'subagent',
                image: spec.image,
                args: spec.command,
                stdin: true,
                stdinOnce: true, // the subagent ends when its parent detaches, as when a local child's stdin closes
                tty: false,
                env: [
                  ...Object.entries(spec.env).map(([key, value]) => ({ name: key, value })),
                  ...spec.secretNames.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: secret, key } } })),
                ],
                resources: {
                  requests: { cpu: String(spec.cpus), memory: `${spec.memoryMb}Mi` },
                  limits: { cpu: String(spec.cpus), memory: `${spec.memoryMb}Mi` },
                },
                securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                volumeMounts: [
                  { name: 'config', mountPath: CONFIG_FILE, subPath: 'rein.yaml', readOnly: true },
                  { name: 'data', mountPath: DATA_MOUNT },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: `${name}-configmap` } },
              { name: 'data', emptyDir: { medium: 'Memory', sizeLimit: `${spec.tmpfsMb}Mi` } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('NetworkPolicy'),
      // No ingress, no egress: the parent reaches the pod through the API server's attach, the model through the parent.
      spec: { podSelector: { matchLabels: { 'rein.dev/agent': labelsOf(spec)['rein.dev/agent'] } }, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}

/** The objects as one YAML stream. */
export function kubernetesManifest(spec: ContainerSpec, options: JobOptions): string {
  return kubernetesObjects(spec, options).map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
}

/** Label values allow letters, digits, `-`, `_`, `.` (63 at most): `researcher#2` → `researcher-2`. */
function labelsOf(spec: ContainerSpec): Record<string, string> {
  const clean = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63);
  return { 'app.kubernetes.io/name': 'rein-subagent', 'rein.dev/agent': clean(`${spec.name}`), 'rein.dev/role': clean(spec.agent.split('#')[0] ?? spec.agent), ...(spec.run ? { 'rein.dev/run': clean(spec.run) } : {}) };
}

/** Object names are DNS labels: lower case, digits and `-`. */
function kubernetesName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 52);
}
