// The backends the subagent suite runs on: a local process always; a container when an engine answers (Podman or
// Docker) and has the image of this Rein (built here from the bundle when missing). In CI (REIN_TEST_CONTAINERS=1)
// a missing engine fails the suite instead of skipping it. REIN_TEST_CONTAINER_ENGINE=docker|podman picks one (default:
// auto, as users get). REIN_TEST_DOCKER=1 adds Docker as a second container backend (CI starts a daemon for it).
import type { AgentSpawnedEvent } from '../../src/common/index.ts';
import { buildImage, checkImage, findEngine, exec, formatIdentity, parentIdentity, PARENT_LABEL, type ContainerEngine, type EngineChoice } from '../../src/runtime/containers/index.ts';
import { waitNoChildren } from '../runtime/agents/process-table.ts';

const ENGINE = (process.env.REIN_TEST_CONTAINER_ENGINE ?? 'auto') as EngineChoice;

export interface TestBackend {
  name: 'local' | 'container';
  /** How the suite names it: local, container (auto → podman), container (docker). */
  label: string;
  /** Lines under `agents:` that choose it. */
  yaml: string;
  engine?: ContainerEngine;
  /** Ends a running subagent from outside, as a crash would. */
  crash(spawned: AgentSpawnedEvent): Promise<void>;
  /** What is left of this process's subagents: processes, or containers labelled with this process as parent. */
  leftovers(): Promise<string[]>;
}

export const localBackend: TestBackend = {
  name: 'local',
  label: 'local',
  yaml: '  backend: local\n',
  crash: async (spawned) => {
    process.kill(spawned.pid!, 'SIGKILL');
  },
  leftovers: async () => (await waitNoChildren()).map((child) => `${child.pid} ${child.command} (${child.state})`),
};

/** The container backend, or why it cannot run here. */
export async function containerBackend(choice: EngineChoice = ENGINE): Promise<TestBackend | string> {
  let engine: ContainerEngine;
  try {
    engine = await findEngine(choice);
    const check = await checkImage(engine);
    if (!check.current) await buildImage(engine);
  } catch (error) {
    const reason = (error as Error).message;
    if (process.env.REIN_TEST_CONTAINERS === '1') throw new Error(`REIN_TEST_CONTAINERS=1 but the container backend cannot run: ${reason}`);
    return reason;
  }
  return {
    name: 'container',
    label: `container (${choice === 'auto' ? `auto → ${engine.name}` : engine.name})`,
    yaml: `  backend: container\n${choice === 'auto' ? '' : `  container: { engine: ${choice} }\n`}`,
    engine,
    // SIGTERM, not SIGKILL: an exit by SIGKILL (137) is what the OOM killer leaves, and is reported as memory.
    crash: async (spawned) => void (await exec(engine.bin, ['kill', '--signal', 'TERM', spawned.container!])),
    leftovers: () => containersOf(engine, formatIdentity(parentIdentity())),
  };
}

/** Docker as a second container backend when REIN_TEST_DOCKER=1 (the suite then fails rather than skips without it). */
export async function dockerBackend(): Promise<TestBackend[]> {
  if (process.env.REIN_TEST_DOCKER !== '1') return [];
  const docker = await containerBackend('docker');
  if (typeof docker === 'string') throw new Error(`REIN_TEST_DOCKER=1 but Docker cannot run subagents: ${docker}`);
  return [docker];
}

/** Names of the containers (running or not) whose parent label is `parent`. */
export async function containersOf(engine: ContainerEngine, parent: string): Promise<string[]> {
  const result = await exec(engine.bin, ['ps', '--all', '--filter', `label=${PARENT_LABEL}=${parent}`, '--format', '{{.Names}}']);
  return result.stdout.split('\n').filter(Boolean);
}
