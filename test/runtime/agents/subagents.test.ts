// Subagents as real child Rein processes — local processes and containers, one suite — against the scripted Ollama
// server: fan-out, a crash, memory, a hang past the timeout, a parent abort, no network inside a container while its
// model calls work through the parent, and after a parent killed with SIGKILL nothing left once the next Rein starts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentFinishedEvent, AgentSpawnedEvent, RunEvent, SystemEvent } from '../../../src/common/index.ts';
import { AgentsExtension, Runtime, TrustStore, openAuditLog, openMemoryStore, parseConfig } from '../../../src/runtime/index.ts';
import { exec, PARENT_LABEL } from '../../../src/runtime/containers/index.ts';
import { createModelClient } from '../../../src/runtime/model/index.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { echoTool, tempDir, testConfig } from '../../support/fixtures.ts';
import { containerBackend, containersOf, dockerBackend, localBackend, type TestBackend } from '../../support/subagent-backends.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/rein.mjs');
const PROBE_SERVER = path.resolve(import.meta.dirname, '../../support/net-probe-server.mjs');

const container = await containerBackend();
const BACKENDS: TestBackend[] = [localBackend, ...(typeof container === 'string' ? [] : [container]), ...(await dockerBackend())];
if (typeof container === 'string') describe.skip(`subagents (container backend): ${container}`, () => it('needs Podman or Docker', () => undefined));

const isParent = (request: ChatRequestBody) => (request.tools ?? []).some((t) => t.function.name === 'spawn_subagent');
const goalOf = (request: ChatRequestBody) => request.messages.find((m) => m.role === 'user')?.content ?? '';
const spawnCalls = (role: string, ...goals: string[]): ScriptedReply => ({ toolCalls: goals.map((goal) => ({ name: 'spawn_subagent', arguments: { goal, role } })) });
const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e) => e.type === type) as Extract<RunEvent, { type: T }>[];

/** Children answer by their goal ("hang …" never answers, "hog" answers with 8 MB); the parent fans out once, then synthesizes. */
function script(ollama: ScriptedOllama, fanOut: ScriptedReply, child?: (request: ChatRequestBody) => ScriptedReply | undefined): void {
  let parentTurns = 0;
  ollama.script((request) => {
    if (isParent(request)) return parentTurns++ === 0 ? fanOut : { content: 'synthesized' };
    const own = child?.(request);
    if (own) return own;
    const goal = goalOf(request);
    if (goal.startsWith('hang')) return { hang: true };
    if (goal.startsWith('hog')) return { content: 'x'.repeat(8_000_000), chunks: 1 };
    return { content: `answer to ${goal}`, promptEvalCount: 7, evalCount: 3 };
  });
}

function collect(runtime: Runtime): RunEvent[] {
  const events: RunEvent[] = [];
  runtime.onEvent((event) => events.push(event));
  return events;
}

describe.each(BACKENDS)('subagents on $label', (backend) => {
  const CONFIG = (timeout = 60, extra = '') => `agents:
  enabled: true
${backend.yaml}  max_concurrent: 2
  timeout_s: ${timeout}
  roles:
    researcher: { description: finds facts, tools: ['echo*'] }
    hog: { tools: [], memory_mb: ${backend.name === 'local' ? 32 : 64} }
${extra}`;
  let ollama: ScriptedOllama;
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    expect(await backend.leftovers()).toEqual([]);
  });
  afterAll(() => ollama.close());

  it('fans out to parallel subagents (within max_concurrent) that answer over stdio MCP, nests their runs in the parent trace, and synthesizes', async () => {
    // The first child to ask waits (30 s at most) until a second one asks too: two at once, however loaded the machine.
    const { promise: second, resolve: bothAsked } = Promise.withResolvers<void>();
    const together = Promise.race([second, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    const asked = new Set<string>();
    script(ollama, spawnCalls('researcher', 'task A', 'task B', 'task C'), (request) => {
      const goal = goalOf(request);
      if (!/^task [ABC]$/.test(goal) || asked.size >= 2 || asked.has(goal)) return undefined;
      asked.add(goal);
      if (asked.size === 2) bothAsked();
      return { content: `answer to ${goal}`, promptEvalCount: 7, evalCount: 3, waitFor: together };
    });
    const config = testConfig(CONFIG(), ollama.url);
    runtime = new Runtime({ config, tools: [echoTool(), echoTool('secret_write', 'write')] });
    const events = collect(runtime);
    const run = runtime.startRun('research three things');
    const result = await run.result;
    expect(result).toMatchObject({ status: 'completed', answer: 'synthesized' });

    const spawned = ofType(events, 'agent.spawned');
    const finished = ofType(events, 'agent.finished');
    expect(spawned.map((e) => e.goal).sort()).toEqual(['task A', 'task B', 'task C']);
    expect(spawned.every((e) => e.role === 'researcher' && e.backend === backend.name && e.pid! > 0 && e.startupMs! > 0)).toBe(true);
    if (backend.name === 'container') expect(spawned.every((e) => e.engine === backend.engine!.name && e.container!.startsWith(`rein-agent-${process.pid}-`))).toBe(true);
    expect(finished.map((e) => e.answer).sort()).toEqual(['answer to task A', 'answer to task B', 'answer to task C']);
    expect(finished.every((e) => e.status === 'completed' && e.exit?.reason === 'done' && e.usage.promptTokens === 7 && e.usage.completionTokens === 3)).toBe(true);
    expect(maxInFlight(events)).toBeLessThanOrEqual(2);
    expect(maxInFlight(events)).toBe(2); // two at once: they run in parallel

    // Each child's own run is visible inside the parent's stream and its JSONL trace.
    const nested = ofType(events, 'agent.event');
    for (const { agentId } of spawned) {
      const child = nested.filter((e) => e.agentId === agentId).map((e) => e.event.type);
      expect(child[0]).toBe('run.started');
      expect(child).toContain('run.finished');
    }
    // A child is offered only tools within the role's allow-list (`echo*`) that it has: none here (its own
    // built-ins like run_js or remember are outside the list); at max_depth it cannot spawn either.
    const childRequests = ollama.chatRequests.filter((r) => !isParent(r) && r.messages.some((m) => /task [ABC]/.test(m.content)));
    expect(childRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of childRequests) expect(request.tools ?? []).toEqual([]);
    const trace = fs.readFileSync(`${config.dataDir}/traces/${run.runId}.jsonl`, 'utf8');
    expect(trace).toContain('"type":"agent.event"');
    // Isolation: the children kept their own data (traces, database) in their ephemeral homes, not in the parent's.
    const store = await openMemoryStore(config);
    const sessions = (await store.listSessions()).map((s) => s.id);
    await store.close();
    expect(sessions).toEqual([run.runId]);
    expect(fs.readdirSync(`${config.dataDir}/traces`)).toEqual([`${run.runId}.jsonl`]);

    // The children's model calls were answered by this parent's client: its audit log has them, named, with the
    // provider and server that really answered.
    const audit = openAuditLog(config);
    const calls = [...audit.entries()].filter((entry) => entry.kind === 'model.call' && (entry.data as { subagent?: string }).subagent);
    audit.close();
    expect(calls.map((entry) => (entry.data as { subagent: string }).subagent).sort()).toEqual(spawned.map((e) => e.agentId).sort());
    expect(calls.every((entry) => (entry.data as { provider: string; host: string }).provider === 'ollama' && (entry.data as { host: string }).host === ollama.url)).toBe(true);

    const toolResults = ofType(events, 'tool.result').filter((e) => e.name === 'spawn_subagent');
    expect(toolResults.every((e) => e.ok)).toBe(true);
    expect(toolResults[0]!.output).toContain('answer to task');
    expect(ollama.chatRequests.filter((r) => !isParent(r))).toHaveLength(3);
  }, 120_000);

  it('reports a crashed subagent clearly and the parent continues', async () => {
    script(ollama, spawnCalls('researcher', 'hang until killed', 'task ok'));
    runtime = new Runtime({ config: testConfig(CONFIG(), ollama.url), tools: [echoTool()] });
    const events = collect(runtime);
    runtime.onEvent((event) => {
      if (event.type === 'agent.spawned' && event.goal.startsWith('hang')) void backend.crash(event);
    });
    const result = await runtime.startRun('two tasks').result;
    expect(result).toMatchObject({ status: 'completed', answer: 'synthesized' });
    const crashed = ofType(events, 'agent.finished').find((e) => e.agentId === spawnedId(events, 'hang until killed'))!;
    expect(crashed.status).toBe('failed');
    expect(crashed.exit?.reason).toBe('crashed');
    expect(crashed.error).toMatch(/subagent researcher#\d+ failed: .*(closed|exited)/i);
    const failedCall = ofType(events, 'tool.result').find((e) => !e.ok)!;
    expect(failedCall.error).toContain('failed');
    expect(ofType(events, 'agent.finished').find((e) => e.answer === 'answer to task ok')?.status).toBe('completed');
  }, 120_000);

  it('a subagent that goes over its memory limit is reported as killed for memory', async () => {
    script(ollama, spawnCalls('hog', 'hog memory'));
    runtime = new Runtime({ config: testConfig(CONFIG(), ollama.url), tools: [echoTool()] });
    const events = collect(runtime);
    const result = await runtime.startRun('one greedy task').result;
    expect(result.status).toBe('completed'); // the parent carries on
    const [finished] = ofType(events, 'agent.finished');
    expect(finished).toMatchObject({ status: 'failed', exit: { reason: 'memory' } });
    const limit = 'agents.roles.hog.memory_mb';
    expect(finished!.error).toMatch(new RegExp(`subagent hog#\\d+ was killed .*for memory: its (heap|container) .*${limit.replaceAll('.', '\\.')}`));
  }, 120_000);

  it('kills a subagent that hangs past agents.timeout_s', async () => {
    script(ollama, spawnCalls('researcher', 'hang forever'));
    runtime = new Runtime({ config: testConfig(CONFIG(3), ollama.url), tools: [echoTool()] });
    const events = collect(runtime);
    const result = await runtime.startRun('one slow task').result;
    expect(result.status).toBe('completed');
    const [finished] = ofType(events, 'agent.finished');
    expect(finished).toMatchObject({ status: 'stopped', exit: { reason: 'timeout' }, error: expect.stringContaining('timed out after 3s (agents.timeout_s) and was killed') });
    expect(ofType(events, 'tool.result')[0]!.error).toContain('timed out after 3s');
  }, 120_000);

  it('an abort of the parent mid-fan-out ends every subagent', async () => {
    script(ollama, spawnCalls('researcher', 'hang one', 'hang two'));
    runtime = new Runtime({ config: testConfig(CONFIG(), ollama.url), tools: [echoTool()] });
    const events = collect(runtime);
    const run = runtime.startRun('fan out then stop');
    runtime.onEvent((event) => {
      if (event.type === 'agent.spawned' && ofType(events, 'agent.spawned').length === 2) run.abort('user pressed stop');
    });
    const result = await run.result;
    expect(result.status).toBe('stopped');
    expect(result.reason).toContain('user pressed stop');
    const finished = ofType(events, 'agent.finished');
    expect(finished).toHaveLength(2);
    expect(finished.every((e) => e.status === 'stopped' && e.exit?.reason === 'stopped' && e.error!.includes('stopped: user pressed stop'))).toBe(true);
  }, 120_000);

  it(`${backend.name === 'container' ? 'inside a default container no TCP connection works' : 'a local subagent shares the host network'}, while its model calls work through its parent`, async () => {
    // A server on every interface of this machine: reachable from a local subagent, and from nothing in a container.
    const target = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '0.0.0.0', resolve));
    const port = (target.address() as AddressInfo).port;
    const hosts = ['127.0.0.1', externalAddress() ?? '127.0.0.1', '10.0.2.2', '1.1.1.1'];
    const probes = hosts.map((host) => ({ name: 'probe__tcp', arguments: { host, port: host === '1.1.1.1' ? 80 : port } }));
    let childTurns = 0;
    script(ollama, spawnCalls('prober', 'probe the network'), (request) => (goalOf(request) === 'probe the network' ? (childTurns++ === 0 ? { toolCalls: probes } : { content: 'probed' }) : undefined));
    // The config's model URL leads nowhere: the parent's own model client (the scripted server) must answer the
    // child's calls. The probe server is mounted read-only into the container.
    const ollamaHost = new URL(ollama.url).host;
    const yaml = `${CONFIG(60, `    prober: { tools: ['probe__*'], mounts: [{ source: ${path.dirname(PROBE_SERVER)} }] }\n`)}mcp_servers:
  - { name: probe, command: node, args: ['${PROBE_SERVER}'] }
policy: { allow_hosts: ['${ollamaHost}'] }
`;
    const config = testConfig(yaml, 'http://127.0.0.1:9');
    const model = createModelClient({ ...config.model, base_url: ollama.url });
    // The probe needs approval inside the subagent: the question comes back to this parent, which allows it.
    runtime = new Runtime({ config, model, ask: async () => ({ action: 'accept' }) });
    const events = collect(runtime);
    try {
      const result = await runtime.startRun('probe').result;
      expect(result).toMatchObject({ status: 'completed', answer: 'synthesized' });
    } finally {
      target.close();
    }
    const [finished] = ofType(events, 'agent.finished');
    expect(finished).toMatchObject({ status: 'completed', answer: 'probed' });
    const outputs = ofType(events, 'agent.event')
      .map((e) => e.event)
      .flatMap((event) => (event.type === 'tool.result' ? [String(event.output)] : []));
    expect(outputs).toHaveLength(hosts.length);
    if (backend.name === 'container') {
      expect(outputs.every((output) => output.startsWith('failed to connect'))).toBe(true);
      expect(outputs.join('\n')).toMatch(/ENETUNREACH|ECONNREFUSED/);
    } else {
      expect(outputs.filter((output) => output.startsWith('connected')).length).toBeGreaterThanOrEqual(1);
    }
  }, 120_000);

  it('with the default model settings (no provider written) the subagent\'s chat and embeddings go through its parent', async () => {
    const scripted = await ScriptedOllama.start({ models: [DEFAULT_MODEL, { name: 'nomic-embed-text', capabilities: ['embedding'] }] });
    let parentTurns = 0;
    scripted.script((request) => (isParent(request) ? (parentTurns++ === 0 ? spawnCalls('researcher', 'find the zebra notes') : { content: 'synthesized' }) : { content: 'no zebra notes' }));
    // No model: section (provider auto); embeddings from a named source. The parent's own chat client is given.
    const yaml = `${CONFIG()}providers: { local: { provider: ollama, base_url: '${scripted.url}' } }\nmemory: { embed_model: 'local:nomic-embed-text' }\npolicy: { allow_hosts: ['${new URL(scripted.url).host}'] }\n`;
    const config = parseConfig(yaml, { env: { REIN_HOME: tempDir() } });
    expect(config.model.provider).toBe('auto');
    runtime = new Runtime({ config, model: createModelClient({ ...config.model, provider: 'ollama', base_url: scripted.url, name: 'qwen3:4b' }) });
    const events = collect(runtime);
    try {
      expect(await runtime.startRun('delegate').result).toMatchObject({ status: 'completed', answer: 'synthesized' });
      expect(ofType(events, 'agent.finished')[0]).toMatchObject({ status: 'completed', answer: 'no zebra notes' });
      // The child embedded its goal (memory recall) and the parent's embedding source answered: inside a container,
      // which reaches nothing, only through the parent.
      const embedded = scripted.requests.filter((r) => r.path === '/api/embed').map((r) => JSON.stringify(r.body));
      expect(embedded.some((body) => body.includes('find the zebra notes'))).toBe(true);
      const childNotices = ofType(events, 'agent.event').map((e) => e.event).filter((e) => e.type === 'run.notice');
      expect(childNotices.filter((e) => /embedding/.test(JSON.stringify(e)))).toEqual([]);
    } finally {
      await scripted.close();
    }
  }, 120_000);

  if (backend.name === 'local') {
    // The relay does not depend on where the subagent runs: tested once.
    it('a role with its own model: the parent answers the subagent\'s calls with that model', async () => {
      const two = await ScriptedOllama.start({ models: [DEFAULT_MODEL, { name: 'small:1b', capabilities: ['completion', 'tools'], contextLength: 8192 }] });
      let parentTurns = 0;
      two.script((request) => (isParent(request) ? (parentTurns++ === 0 ? spawnCalls('quick', 'count') : { content: 'synthesized' }) : { content: `answered by ${request.model}` }));
      runtime = new Runtime({ config: testConfig(CONFIG(60, '    quick: { model: small:1b }\n'), two.url) });
      const events = collect(runtime);
      try {
        expect(await runtime.startRun('delegate').result).toMatchObject({ status: 'completed' });
        expect(ofType(events, 'agent.finished')[0]).toMatchObject({ status: 'completed', answer: 'answered by small:1b' });
      } finally {
        await two.close();
      }
    }, 120_000);
  }

  if (backend.name === 'container' && backend.engine!.name === 'podman') {
    // Docker's model-host needs its default bridge (and a model server listening on it); Podman reaches the loopback.
    it('a role with network: model-host calls the model server itself, under one alias', async () => {
      const direct = await ScriptedOllama.start({ replies: () => ({ content: 'answered directly' }) });
      script(ollama, spawnCalls('online', 'look it up'), () => ({ content: 'answered through the parent' }));
      // The parent's own turns go to `ollama`; the config's model URL (the one a model-host subagent uses) to `direct`.
      const config = testConfig(`${CONFIG(60, '    online: { network: model-host }\n')}policy: { allow_hosts: ['${new URL(ollama.url).host}'] }\n`, direct.url);
      runtime = new Runtime({ config, model: createModelClient({ ...config.model, base_url: ollama.url }) });
      const events = collect(runtime);
      try {
        expect(await runtime.startRun('delegate').result).toMatchObject({ status: 'completed', answer: 'synthesized' });
        expect(ofType(events, 'agent.finished')[0]).toMatchObject({ status: 'completed', answer: 'answered directly' });
        expect(direct.chatRequests.length).toBeGreaterThanOrEqual(1);
      } finally {
        await direct.close();
      }
    }, 120_000);
  }

  if (backend.name === 'container') {
    it('a parent killed with SIGKILL leaves no container once the next Rein starts (the reaper says so)', async () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'rein.yaml'), `agents:\n  enabled: true\n${backend.yaml}  max_concurrent: 2\n`);
      const home = tempDir();
      new TrustStore(home).trust(dir);
      script(ollama, spawnCalls('default', 'hang one', 'hang two'));
      const parent = spawn(process.execPath, [BIN, 'run', '--json', 'fan out'], {
        cwd: dir,
        env: { ...engineEnv(), PATH: process.env.PATH, HOME: process.env.HOME, REIN_HOME: home, OLLAMA_HOST: ollama.url, REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR, REIN_KEYCHAIN: 'file' },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const names = await new Promise<string[]>((resolve, reject) => {
        const found = new Set<string>();
        let buffer = '';
        parent.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (const match of buffer.matchAll(/"type":"agent\.spawned".*?"container":"([^"]+)"/g)) found.add(match[1]!);
          if (found.size === 2) resolve([...found]);
        });
        parent.once('exit', () => reject(new Error('the parent ended before spawning')));
      });
      const label = (await exec(backend.engine!.bin, ['inspect', '--format', `{{index .Config.Labels "${PARENT_LABEL}"}}`, names[0]!])).stdout.trim();
      expect(label).toContain(`/${parent.pid}/`);
      const exited = new Promise((resolve) => parent.once('exit', resolve));
      process.kill(parent.pid!, 'SIGKILL');
      await exited;
      expect((await containersOf(backend.engine!, label)).sort()).toEqual(names.sort()); // left behind (running or exited)

      const config = testConfig(CONFIG(), ollama.url);
      runtime = new Runtime({ config, tools: [] });
      const notices: SystemEvent[] = [];
      runtime.onSystemEvent((event) => notices.push(event));
      await runtime.start();
      await runtime.extensionOf(AgentsExtension)!.reaped;
      expect(await containersOf(backend.engine!, label)).toEqual([]);
      expect(notices).toContainEqual(expect.objectContaining({
        type: 'system.notice',
        source: 'agents',
        message: expect.stringMatching(new RegExp(`removed 2 subagent containers left behind by a Rein that did not end cleanly \\(pid ${parent.pid}\\): rein-agent-`)),
      }));
    }, 120_000);
  }
});

/** What the engine's client needs from the environment (a Docker daemon elsewhere, rootless Podman). */
function engineEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(['DOCKER_HOST', 'CONTAINER_HOST', 'XDG_RUNTIME_DIR'].flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])));
}

function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces()).flat().find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}

function spawnedId(events: RunEvent[], goal: string): string {
  return (events.find((e) => e.type === 'agent.spawned' && e.goal === goal) as AgentSpawnedEvent).agentId;
}

/** The most subagents alive at once, from the order of spawned/finished events. */
function maxInFlight(events: RunEvent[]): number {
  let alive = 0;
  let max = 0;
  for (const event of events) {
    if (event.type === 'agent.spawned') max = Math.max(max, ++alive);
    if (event.type === 'agent.finished' && (event as AgentFinishedEvent).status) alive--;
  }
  return max;
}
