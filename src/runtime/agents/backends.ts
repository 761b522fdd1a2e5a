// How a subagent process is started: a local child process of this Node, or a Docker container with the same
// stdio MCP contract. Both are plain command lines, so they can be inspected and tested without running them.
import path from 'node:path';

export interface ChildCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface ChildLaunch {
  /** The subagent's ephemeral home (data dir) and its rein.yaml inside. */
  home: string;
  configFile: string;
  /** REIN_AGENT_* variables (depth, tools, skills, role). */
  scopeEnv: Record<string, string>;
  heapMb: number;
}

/** The `rein` entry script of this checkout, seen from src/runtime/agents/ or from the bundle in out/cli/. */
export const REIN_BIN = path.resolve(import.meta.dirname, import.meta.filename.endsWith('.ts') ? '../../../bin/rein.mjs' : '../../bin/rein.mjs');

export function localCommand(launch: ChildLaunch, options: { nodePath?: string; reinBin?: string; env?: NodeJS.ProcessEnv } = {}): ChildCommand {
  const env = options.env ?? process.env;
  return {
    command: options.nodePath ?? process.execPath,
    // bin/rein.mjs runs in this process (no restart), so the pid is the subagent itself.
    args: [`--max-old-space-size=${launch.heapMb}`, options.reinBin ?? REIN_BIN, 'mcp', '--config', launch.configFile],
    env: {
      ...(env.PATH ? { PATH: env.PATH } : {}),
      ...(env.HOME ? { HOME: env.HOME } : {}),
      REIN_HOME: launch.home,
      NO_COLOR: '1',
      ...launch.scopeEnv,
    },
  };
}

/** Where the host's loopback is reachable from inside a container. */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';
const CONTAINER_HOME = '/rein-data';

export function dockerCommand(launch: ChildLaunch, options: { image: string; name: string; docker?: string }): ChildCommand {
  const env: Record<string, string> = { REIN_HOME: CONTAINER_HOME, NO_COLOR: '1', NODE_OPTIONS: `--max-old-space-size=${launch.heapMb}`, ...launch.scopeEnv };
  return {
    command: options.docker ?? 'docker',
    args: [
      'run', '--rm', '-i', '--init',
      '--name', options.name,
      '--memory', `${launch.heapMb + 256}m`,
      '--add-host', `${DOCKER_HOST_ALIAS}:host-gateway`,
      '--volume', `${launch.home}:${CONTAINER_HOME}`,
      // Secrets by name only (docker reads their values from its own environment), never on the command line.
      ...Object.entries(env).flatMap(([key, value]) => ['--env', key.startsWith('REIN_PARENT_SECRET_') ? key : `${key}=${value}`]),
      options.image,
      'mcp', '--config', `${CONTAINER_HOME}/${path.basename(launch.configFile)}`,
    ],
    env: Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('REIN_PARENT_SECRET_'))),
  };
}

/** Removes the container even when the docker CLI process was killed. */
export function dockerRemoveCommand(name: string, docker = 'docker'): ChildCommand {
  return { command: docker, args: ['rm', '--force', name], env: {} };
}

/** Rewrites a loopback model URL so a container reaches the host's Ollama. */
export function containerModelHost(host: string): string {
  const url = new URL(host);
  if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) url.hostname = DOCKER_HOST_ALIAS;
  return url.toString().replace(/\/$/, '');
}
