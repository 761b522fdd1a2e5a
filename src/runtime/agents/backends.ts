// How a subagent process is started: a local child process of this Node (here), or a container
// (container-backend.ts). Both speak MCP over stdio; both are plain command lines, inspectable without running them.
import path from 'node:path';

export interface ChildCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface ChildLaunch {
  /** `<role>#<n>`, and the parent's run that spawns it. */
  agentId: string;
  runId?: string;
  /** The subagent's ephemeral home (data dir) and its rein.yaml inside. */
  home: string;
  configFile: string;
  /** REIN_AGENT_* variables (depth, tools, skills, role, model). */
  scopeEnv: Record<string, string>;
  /** The parent's secrets its rein.yaml refers to by name: in its environment only, never on a command line. */
  secretEnv: Record<string, string>;
  /** V8 heap limit. */
  heapMb: number;
  /** Memory limit of a container. */
  memoryMb: number;
}

export type BackendName = 'local' | 'container';

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
      ...launch.secretEnv,
    },
  };
}
