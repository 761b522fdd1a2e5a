// What a subagent may do: the allow-list and depth its parent passed, the ephemeral config, the command lines of both
// backends (the container one is also started for real in subagents.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import {
  AgentsExtension,
  allowedTools,
  childConfig,
  ContainerBackend,
  localCommand,
  SubagentError,
} from '../../../src/runtime/agents/index.ts';
import { parseConfig, Runtime } from '../../../src/runtime/index.ts';
import { modelUrlInContainer, PARENT_LABEL } from '../../../src/runtime/containers/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { addTool, echoTool, testConfig } from '../../support/fixtures.ts';

const DEFAULT_ROLE_FOR_TEST = { description: '', tools: ['*'], skills: [], mounts: [] };
const ENABLED = 'agents:\n  enabled: true\n  roles:\n    researcher: { tools: ["echo*", "spawn_*"], system_prompt: "Research only." }\n';

describe('subagent scope', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('a subagent only offers and only runs the tools its parent allowed', async () => {
    const config = testConfig(ENABLED, ollama.url);
    const env = { REIN_AGENT_DEPTH: '1', REIN_AGENT_TOOLS: '["echo"]', REIN_AGENT_ROLE: 'researcher' };
    const runtime = new Runtime({ config, tools: [echoTool(), addTool], extensions: [new AgentsExtension(config, { env })] });
    const events: RunEvent[] = [];
    runtime.onEvent((event) => events.push(event));
    ollama.script([{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, { content: 'ok' }]);
    await runtime.startRun('add').result;
    expect(ollama.chatRequests[0]!.tools?.map((t) => t.function.name)).toEqual(['echo']);
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ ok: false, error: expect.stringContaining('tool "add" is not allowed for this subagent (role researcher: echo)') });
    expect(runtime.registry.get('spawn_subagent')).toBeUndefined(); // depth 1 = max_depth 1
    await runtime.close();
  });

  it('spawn_subagent exists only when enabled and below max_depth', async () => {
    const has = async (yaml: string, depth: string) => {
      const config = testConfig(yaml, ollama.url);
      const runtime = new Runtime({ config, extensions: [new AgentsExtension(config, { env: { REIN_AGENT_DEPTH: depth } })] });
      await runtime.start();
      const found = runtime.registry.get('spawn_subagent') !== undefined;
      await runtime.close();
      return found;
    };
    expect(await has(ENABLED, '0')).toBe(true);
    expect(await has(ENABLED, '1')).toBe(false);
    expect(await has(`${ENABLED}  max_depth: 2\n`, '1')).toBe(true);
    expect(await has('', '0')).toBe(false);
    expect(() => new AgentsExtension(testConfig('', ollama.url), { env: { REIN_AGENT_TOOLS: 'echo' } })).toThrow(SubagentError);
    expect(() => new AgentsExtension(testConfig('', ollama.url), { env: { REIN_AGENT_DEPTH: '-1' } })).toThrow('REIN_AGENT_DEPTH must be a whole number');
  });

  it('the allow-list is the role\'s globs intersected with the parent\'s tools', () => {
    expect(allowedTools(['echo*', 'fs__read_*'], ['echo', 'echo_loud', 'fs__read_file', 'fs__write_file', 'shell'])).toEqual(['echo', 'echo_loud', 'fs__read_file']);
    expect(allowedTools(['*'], ['a', 'b'])).toEqual(['a', 'b']);
    expect(allowedTools(['root_only'], ['a'])).toEqual([]);
  });

  it('the child config keeps the parent\'s settings but not its data, with the subagent limits applied', () => {
    const config = testConfig(`${ENABLED}  max_steps: 7\nruntime: { max_steps: 30 }\nmemory: { path: ./parent-notes.db }\n`, ollama.url);
    const role = config.agents.roles.researcher!;
    const child = childConfig(config, role);
    const reparsed = parseConfig(JSON.stringify(child), { env: { REIN_HOME: '/tmp/rein-agent-x' } });
    expect(reparsed.memory.path).toBe('/tmp/rein-agent-x/rein.db');
    expect(reparsed.memory.path).not.toBe(config.memory.path);
    expect(reparsed.runtime).toMatchObject({ max_steps: 7, system_prompt: 'Research only.' });
    expect(reparsed.model.base_url).toBe(ollama.url);
    expect(reparsed.knowledge.enabled).toBe(false); // the parent's index is the parent's
    // Through a container's alias: the same local model, so local_only lets exactly that host and port through.
    const aliased = childConfig(config, role, 'http://rein-model-host:11434');
    expect(aliased.model).toMatchObject({ base_url: 'http://rein-model-host:11434' });
    expect(parseConfig(JSON.stringify(aliased), { env: { REIN_HOME: '/tmp/rein-agent-x' } }).policy).toMatchObject({ model_egress: 'allow_list', allowed_model_hosts: ['rein-model-host:11434'] });
    expect(() => parseConfig(JSON.stringify({ ...aliased, policy: config.policy }), { env: { REIN_HOME: '/tmp/rein-agent-x' } })).toThrow('model_egress');
  });

  it('a subagent whose model calls go through its parent never gets the model\'s API key', () => {
    const yaml = "model: { provider: openai_compatible, base_url: 'http://127.0.0.1:1234/v1', api_key: '${env:LMS_KEY}', name: m }\nproviders: { other: { provider: openai_compatible, base_url: 'http://127.0.0.1:8000/v1', api_key: '${env:LMS_KEY}' } }\n";
    const config = testConfig(yaml, 'http://127.0.0.1:1234/v1', { LMS_KEY: 'sk-lms-secret-1234' });
    expect(config.model.api_key).toBe('sk-lms-secret-1234');
    const viaParent = childConfig(config, DEFAULT_ROLE_FOR_TEST);
    expect(JSON.stringify(viaParent)).not.toContain('sk-lms-secret-1234');
    expect(JSON.stringify(viaParent)).not.toContain('api_key');
    // A model-host subagent calls the server itself: it gets the key, by reference only (referToSecrets in the home).
    expect(childConfig(config, DEFAULT_ROLE_FOR_TEST, 'http://rein-model-host:1234/v1').model).toMatchObject({ api_key: 'sk-lms-secret-1234' });
  });

  it('builds the local and container command lines with the limits and scope; secrets only by name', () => {
    const launch = {
      agentId: 'researcher#1', runId: 'run_1', home: '/tmp/rein-agent-1', configFile: '/tmp/rein-agent-1/rein.yaml', heapMb: 256, memoryMb: 512,
      scopeEnv: { REIN_AGENT_DEPTH: '1', REIN_AGENT_TOOLS: '["echo"]' }, secretEnv: { REIN_PARENT_SECRET_0: 'sk-very-secret' },
    };
    const local = localCommand(launch, { nodePath: '/usr/bin/node', reinBin: '/app/bin/rein.mjs', env: { PATH: '/bin', HOME: '/home/u', SECRET: 'x' } });
    expect(local).toEqual({
      command: '/usr/bin/node',
      args: ['--max-old-space-size=256', '/app/bin/rein.mjs', 'mcp', '--config', '/tmp/rein-agent-1/rein.yaml'],
      env: { PATH: '/bin', HOME: '/home/u', REIN_HOME: '/tmp/rein-agent-1', NO_COLOR: '1', REIN_AGENT_DEPTH: '1', REIN_AGENT_TOOLS: '["echo"]', REIN_PARENT_SECRET_0: 'sk-very-secret' },
    });

    const yaml = `agents:
  backend: container
  container: { image: my/rein:1, runtime: runc, cpus: 0.5, pids: 64, tmpfs_mb: 32, extra_args: [--security-opt, seccomp=unconfined] }
  roles:
    reader: { mounts: [{ source: /srv/docs }, { source: /srv/out, target: /out, writable: true }] }
    online: { network: model-host }
`;
    const config = testConfig(yaml, ollama.url);
    const backend = new ContainerBackend(config);
    const podman = { name: 'podman' as const, bin: '/usr/bin/podman', version: '4.3.1' };
    const command = backend.command(podman, launch, config.agents.roles.reader!, 'rein-agent-9-1');
    expect(command.command).toBe('/usr/bin/podman');
    const line = command.args.join(' ');
    expect(line).toMatch(new RegExp(`^run -i --init --name rein-agent-9-1 --label ${PARENT_LABEL}=[^ ]+/${process.pid}/\\S* --label dev.rein.agent=researcher#1 --label dev.rein.run=run_1 --runtime runc `));
    expect(line).toContain(
      '--user 10001:10001 --read-only --tmpfs /tmp:rw,nosuid,nodev,size=64m,mode=1777 --tmpfs /rein-data:rw,nosuid,nodev,size=32m,mode=1777 ' +
        '--cap-drop ALL --security-opt no-new-privileges --memory 512m --memory-swap 512m --cpus 0.5 --pids-limit 64 ' +
        '--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network none ' +
        '--volume /tmp/rein-agent-1/rein.yaml:/rein/config/rein.yaml:ro --volume /srv/docs:/srv/docs:ro --volume /srv/out:/out:rw ' +
        '--env REIN_HOME=/rein-data/home --env NO_COLOR=1 --env NODE_OPTIONS=--max-old-space-size=256 --env REIN_AGENT_DEPTH=1 --env REIN_AGENT_TOOLS=["echo"] ' +
        '--env REIN_PARENT_SECRET_0 --security-opt seccomp=unconfined my/rein:1 mcp --config /rein/config/rein.yaml',
    );
    // A mount of a path that does not exist is refused, naming the role's key.
    expect(() => backend.checkMounts(config.agents.roles.reader!, 'reader')).toThrow('agents.roles.reader.mounts[0].source: /srv/docs does not exist on this machine');
    // The secret's value reaches the engine's environment only, never its command line.
    expect(line).not.toContain('sk-very-secret');
    expect(command.env.REIN_PARENT_SECRET_0).toBe('sk-very-secret');
    expect(line).not.toMatch(/docker\.sock|podman\.sock|--privileged/);

    // model-host: a route to the model server under one alias on both engines (Podman 4.3 has no host-gateway).
    const online = config.agents.roles.online!;
    expect(backend.command(podman, launch, online, 'n').args.join(' ')).toContain('--network slirp4netns:allow_host_loopback=true --add-host rein-model-host:10.0.2.2');
    const docker = backend.command({ name: 'docker', bin: 'docker', version: '20.10' }, launch, online, 'n').args.join(' ');
    expect(docker).toContain('--add-host rein-model-host:host-gateway');
    expect(docker).not.toContain('--network none');
    expect(modelUrlInContainer('http://127.0.0.1:11434')).toBe('http://rein-model-host:11434');
    expect(modelUrlInContainer('http://gpu-box:11434')).toBe('http://gpu-box:11434');
  });

  it('rejects unknown keys and bad values in agents', () => {
    expect(() => testConfig('agents: { enable: true }', ollama.url)).toThrow('agents.enable');
    expect(() => testConfig('agents: { backend: k8s }', ollama.url)).toThrow('agents.backend');
    expect(() => testConfig('agents: { backend: docker }', ollama.url)).toThrow('"docker" is now "container" (agents.container.engine: docker picks Docker)');
    expect(() => testConfig('agents: { container: { engine: lxc } }', ollama.url)).toThrow('agents.container.engine');
    expect(() => testConfig('agents: { roles: { r: { mounts: [{ source: docs }] } } }', ollama.url)).toThrow('must be an absolute host path');
    expect(() => testConfig('agents: { roles: { r: { network: host } } }', ollama.url)).toThrow('agents.roles.r.network');
    expect(() => testConfig('agents: { roles: { r: { tools: "x" } } }', ollama.url)).toThrow('agents.roles.r.tools');
  });
});
