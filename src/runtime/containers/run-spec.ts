// One subagent container as data (ContainerSpec) and as the `<engine> run` command line that starts it. The same
// spec becomes a Kubernetes Job in kubernetes.ts. Pure functions: inspected and tested without starting anything.
import type { EngineName } from './engine.ts';
import { AGENT_LABEL, PARENT_LABEL, RUN_LABEL } from './labels.ts';

/** What a container may reach: nothing (the model through its parent's stdio) or, besides, the model server. */
export type ContainerNetwork = 'none' | 'model-host';

export interface ContainerMount {
  source: string;
  target: string;
  writable: boolean;
}

export interface ContainerSpec {
  name: string;
  image: string;
  /** PARENT_LABEL, AGENT_LABEL, RUN_LABEL values. */
  parent: string;
  agent: string;
  run?: string;
  /** Plain variables (no secrets: they show on the engine's command line). */
  env: Record<string, string>;
  /** Secret variables: passed by name only, their values from the engine's own environment. */
  secretNames: string[];
  memoryMb: number;
  cpus: number;
  pids: number;
  /** Size of the tmpfs holding the data dir (DATA_MOUNT). */
  tmpfsMb: number;
  network: ContainerNetwork;
  /** The OCI runtime (`--runtime`), if not the engine's default. */
  runtime?: string;
  /** rein.yaml on the host, mounted read-only at CONFIG_FILE. */
  configFile: string;
  mounts: ContainerMount[];
  extraArgs: string[];
  /** After the image: the arguments of its `rein` entrypoint. */
  command: string[];
}

/** The subagent's user inside the image (not root). */
export const CONTAINER_USER = '10001:10001';
/** A tmpfs: the data dir lives below it, gone with the container. */
export const DATA_MOUNT = '/rein-data';
export const DATA_DIR = `${DATA_MOUNT}/home`;
export const CONFIG_FILE = '/rein/config/rein.yaml';
/** The model server's name inside a `model-host` container, on both engines. */
export const MODEL_HOST_ALIAS = 'rein-model-host';
/** slirp4netns's address of the host's loopback (Podman, allow_host_loopback). */
const SLIRP_HOST_LOOPBACK = '10.0.2.2';
/** Explicit: engines default to the host's maximum, which some kernels refuse to set (runc: "setting rlimit"). */
const ULIMITS = ['nofile=1024:1024', 'nproc=1024:1024'];

export function runArgs(engine: EngineName, spec: ContainerSpec): string[] {
  const labels = { [PARENT_LABEL]: spec.parent, [AGENT_LABEL]: spec.agent, ...(spec.run ? { [RUN_LABEL]: spec.run } : {}) };
  return [
    'run', '-i', '--init',
    '--name', spec.name,
    ...Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
    ...(spec.runtime ? ['--runtime', spec.runtime] : []),
    '--user', CONTAINER_USER,
    '--read-only',
    '--tmpfs', '/tmp:rw,nosuid,nodev,size=64m,mode=1777',
    '--tmpfs', `${DATA_MOUNT}:rw,nosuid,nodev,size=${spec.tmpfsMb}m,mode=1777`,
    '--cap-drop', 'ALL',
    '--security-opt', 'no-new-privileges',
    '--memory', `${spec.memoryMb}m`,
    '--memory-swap', `${spec.memoryMb}m`,
    '--cpus', String(spec.cpus),
    '--pids-limit', String(spec.pids),
    ...ULIMITS.flatMap((limit) => ['--ulimit', limit]),
    ...networkArgs(engine, spec.network),
    '--volume', `${spec.configFile}:${CONFIG_FILE}:ro`,
    ...spec.mounts.flatMap((mount) => ['--volume', `${mount.source}:${mount.target}:${mount.writable ? 'rw' : 'ro'}`]),
    ...Object.entries(spec.env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    // Secrets by name only: the engine reads their values from its own environment, never from this command line.
    ...spec.secretNames.flatMap((key) => ['--env', key]),
    ...spec.extraArgs,
    spec.image,
    ...spec.command,
  ];
}

function networkArgs(engine: EngineName, network: ContainerNetwork): string[] {
  if (network === 'none') return ['--network', 'none'];
  // Podman 4.3 rejects host-gateway; slirp4netns reaches the host's loopback (where Ollama listens) at 10.0.2.2.
  if (engine === 'podman') return ['--network', 'slirp4netns:allow_host_loopback=true', '--add-host', `${MODEL_HOST_ALIAS}:${SLIRP_HOST_LOOPBACK}`];
  return ['--add-host', `${MODEL_HOST_ALIAS}:host-gateway`];
}

/** The model URL as a `model-host` container sees it: a loopback host becomes the alias. */
export function modelUrlInContainer(url: string): string {
  const parsed = new URL(url);
  if (['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(parsed.hostname)) parsed.hostname = MODEL_HOST_ALIAS;
  return parsed.toString().replace(/\/$/, '');
}
