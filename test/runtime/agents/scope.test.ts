// What a subagent may do: the allow-list and depth its parent passed, the ephemeral config, the docker command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import {
  AgentsExtension,
  allowedTools,
  childConfig,
  containerModelHost,
  dockerCommand,
  dockerRemoveCommand,
  localCommand,
  SubagentError,
} from '../../../src/runtime/agents/index.ts';
import { parseConfig, Runtime } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { addTool, echoTool, testConfig } from '../../support/fixtures.ts';

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
    expect(childConfig(config, role, 'http://host.docker.internal:11434').model).toMatchObject({ base_url: 'http://host.docker.internal:11434' });
  });

  it('builds the local and docker command lines with the limits and scope', () => {
    const launch = { home: '/tmp/rein-agent-1', configFile: '/tmp/rein-agent-1/rein.yaml', heapMb: 256, scopeEnv: { REIN_AGENT_DEPTH: '1', REIN_AGENT_TOOLS: '["echo"]' } };
    const local = localCommand(launch, { nodePath: '/usr/bin/node', reinBin: '/app/bin/rein.mjs', env: { PATH: '/bin', HOME: '/home/u', SECRET: 'x' } });
    expect(local).toEqual({
      command: '/usr/bin/node',
      args: ['--max-old-space-size=256', '/app/bin/rein.mjs', 'mcp', '--config', '/tmp/rein-agent-1/rein.yaml'],
      env: { PATH: '/bin', HOME: '/home/u', REIN_HOME: '/tmp/rein-agent-1', NO_COLOR: '1', REIN_AGENT_DEPTH: '1', REIN_AGENT_TOOLS: '["echo"]' },
    });
    const docker = dockerCommand(launch, { image: 'ghcr.io/me/rein:1', name: 'rein-agent-9-1' });
    expect(docker.command).toBe('docker');
    expect(docker.args.join(' ')).toBe(
      'run --rm -i --init --name rein-agent-9-1 --memory 512m --add-host host.docker.internal:host-gateway ' +
        '--volume /tmp/rein-agent-1:/rein-data --env REIN_HOME=/rein-data --env NO_COLOR=1 --env NODE_OPTIONS=--max-old-space-size=256 ' +
        '--env REIN_AGENT_DEPTH=1 --env REIN_AGENT_TOOLS=["echo"] ghcr.io/me/rein:1 mcp --config /rein-data/rein.yaml',
    );
    expect(dockerRemoveCommand('rein-agent-9-1')).toEqual({ command: 'docker', args: ['rm', '--force', 'rein-agent-9-1'], env: {} });
    expect(containerModelHost('http://127.0.0.1:11434')).toBe('http://host.docker.internal:11434');
    expect(containerModelHost('http://gpu-box:11434')).toBe('http://gpu-box:11434');
  });

  it('rejects unknown keys and bad values in agents', () => {
    expect(() => testConfig('agents: { enable: true }', ollama.url)).toThrow('agents.enable');
    expect(() => testConfig('agents: { backend: k8s }', ollama.url)).toThrow('agents.backend');
    expect(() => testConfig('agents: { roles: { r: { tools: "x" } } }', ollama.url)).toThrow('agents.roles.r.tools');
  });
});
