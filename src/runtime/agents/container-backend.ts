// The container backend of spawn_subagent: the same stdio MCP contract as a local child, in a container with no
// network, a read-only root, a tmpfs data dir, limits, a non-root user and labels naming its parent.
import fs from 'node:fs';
import type { ReinConfig } from '../config/index.ts';
import {
  BUILD_LABEL,
  CONFIG_FILE,
  DATA_DIR,
  buildId,
  installation,
  defaultImageName,
  findEngine,
  formatIdentity,
  imageLabels,
  parentIdentity,
  runArgs,
  type ContainerEngine,
  type ContainerNetwork,
  type ContainerSpec,
} from '../containers/index.ts';
import type { ChildCommand, ChildLaunch } from './backends.ts';
import { SubagentError } from './errors.ts';
import type { AgentRole } from './roles.ts';

export interface ContainerLaunch {
  command: ChildCommand;
  name: string;
}

export class ContainerBackend {
  private readonly config: ReinConfig;
  private ready: Promise<ContainerEngine> | undefined;
  private readonly parent: string;

  /** `parent`: the identity its containers are labelled with (default: this process). */
  constructor(config: ReinConfig, options: { parent?: string } = {}) {
    this.config = config;
    this.parent = options.parent ?? formatIdentity(parentIdentity());
  }

  get image(): string {
    return this.config.agents.container.image ?? defaultImageName();
  }

  /** The engine, once it answered and has the image (checked once; a failure is checked again next time). */
  engine(): Promise<ContainerEngine> {
    this.ready ??= (async () => {
      const engine = await findEngine(this.config.agents.container.engine);
      const labels = await imageLabels(engine, this.image);
      if (!labels) {
        throw new SubagentError(`${engine.name} has no image ${this.image}: build it with \`rein agents image build\` (or set agents.container.image to an image with \`rein\` as its entrypoint)`);
      }
      // An image Rein built from another version would run other code than this parent expects (config keys, protocol).
      const made = labels[BUILD_LABEL];
      const current = made ? thisBuild() : undefined;
      if (made && current && made !== current) {
        throw new SubagentError(`${engine.name}'s image ${this.image} was made from another Rein (build ${made}, this is ${current}): rebuild it with \`rein agents image build\``);
      }
      return engine;
    })();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  /** The network a role's container gets. */
  network(role: AgentRole): ContainerNetwork {
    return role.network ?? this.config.agents.container.network;
  }

  /** One subagent's container, engine-neutral (also the source of its Kubernetes Job). */
  spec(launch: ChildLaunch, role: AgentRole, name: string): ContainerSpec {
    const { container } = this.config.agents;
    return {
      name,
      image: this.image,
      parent: this.parent,
      agent: launch.agentId,
      ...(launch.runId ? { run: launch.runId } : {}),
      env: { REIN_HOME: DATA_DIR, NO_COLOR: '1', NODE_OPTIONS: `--max-old-space-size=${launch.heapMb}`, ...launch.scopeEnv },
      secretNames: Object.keys(launch.secretEnv),
      memoryMb: launch.memoryMb,
      cpus: container.cpus,
      pids: container.pids,
      tmpfsMb: container.tmpfs_mb,
      network: this.network(role),
      ...(container.runtime ? { runtime: container.runtime } : {}),
      configFile: launch.configFile,
      mounts: role.mounts.map((mount) => ({ source: mount.source, target: mount.target ?? mount.source, writable: mount.writable })),
      extraArgs: container.extra_args,
      command: ['mcp', '--config', CONFIG_FILE],
    };
  }

  /** Throws for a mount whose host path is missing (the engine's own message would not name the role). */
  checkMounts(role: AgentRole, roleName: string): void {
    role.mounts.forEach((mount, i) => {
      if (!fs.existsSync(mount.source)) throw new SubagentError(`agents.roles.${roleName}.mounts[${i}].source: ${mount.source} does not exist on this machine`);
    });
  }

  command(engine: ContainerEngine, launch: ChildLaunch, role: AgentRole, name: string): ChildCommand {
    // The engine's own environment (rootless Podman needs XDG_RUNTIME_DIR, Docker DOCKER_HOST) plus the secrets
    // the container gets by name.
    return { command: engine.bin, args: runArgs(engine.name, this.spec(launch, role, name)), env: { ...stringEnv(process.env), ...launch.secretEnv } };
  }
}

/** This installation's build id, or undefined when it cannot be told (no bundle: running from sources). */
function thisBuild(): string | undefined {
  try {
    return buildId(installation());
  } catch {
    return undefined;
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
