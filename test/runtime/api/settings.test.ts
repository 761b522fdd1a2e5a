// Settings through the API: the right rein.yaml is written with its comments kept, an invalid value writes nothing
// and names the setting, a named policy rule decides live under its name; verdicts on any run; the model server's
// health pushed as it goes down and comes back; a cited passage previewed in its surroundings.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ModelStatusEvent, RuntimeApi } from '../../../src/common/index.ts';
import { createApiClient } from '../../../src/common/index.ts';
import { Runtime, callApi, createRuntimeApi, parseConfig } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { echoTool, tempDir } from '../../support/fixtures.ts';

const YAML = (url: string) => `# My Rein config — keep this comment
model:
  provider: ollama
  base_url: ${url}
  temperature: 0.2 # how creative
policy:
  # my rules
  rules:
    - tool: write_note
      effect: ask
      reason: notes are written after a look
`;

function waitFor(api: RuntimeApi, predicate: (event: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = api.onEvent((event) => {
      if (predicate(event)) {
        off();
        resolve(event);
      }
    });
  });
}

describe('settings, feedback and model health through the API', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let api: RuntimeApi;
  let client: RuntimeApi;
  let file: string;
  let home: string;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    home = tempDir();
    const dir = tempDir();
    file = path.join(dir, 'rein.yaml');
    fs.writeFileSync(file, YAML(ollama.url));
    const config = parseConfig(fs.readFileSync(file, 'utf8'), { file, env: { REIN_HOME: home }, baseDir: dir });
    runtime = new Runtime({ config, tools: [echoTool('write_note', 'write'), echoTool('read_note', 'read')], retry: { retries: 0 } });
    api = createRuntimeApi(runtime);
    client = createApiClient({ invoke: (method, args) => callApi(api, method, JSON.parse(JSON.stringify(args)) as unknown[]), subscribe: (l) => api.onEvent(l) });
    await runtime.start();
  });
  afterAll(async () => {
    await runtime.close();
    await ollama.close();
  });

  it('reads the settings as the runtime runs with them, defaults filled in', async () => {
    const settings = await client.config.settings();
    expect(settings).toMatchObject({ file, writableFile: file, dataDir: home, restartNeeded: [] });
    expect(settings.values).toMatchObject({ 'model.provider': 'ollama', 'model.temperature': 0.2, 'policy.default.write': 'ask', 'policy.model_egress': 'local_only', 'runtime.max_steps': 25 });
    expect(settings.rules).toEqual([{ index: 0, label: 'policy.rules[0]', tool: 'write_note', effect: 'ask', reason: 'notes are written after a look' }]);
  });

  it('saves a value into the file with its comments kept, and uses it for the next runs', async () => {
    const result = await client.config.updateSettings([{ key: 'model.temperature', value: 0.7 }, { key: 'runtime.system_prompt', value: 'You are terse.' }]);
    expect(result.ok).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# My Rein config — keep this comment');
    expect(text).toContain('temperature: 0.7 # how creative');
    expect(text).toContain('# my rules');
    expect(runtime.config.model.temperature).toBe(0.7);
    ollama.script([{ content: 'ok' }]);
    const done = waitFor(api, (e) => e.type === 'run.finished');
    await client.runs.start({ goal: 'hello' });
    await done;
    const request = ollama.chatRequests.at(-1)!;
    expect(request.options?.temperature).toBe(0.7);
    expect(request.messages[0]!.content).toContain('You are terse.');
  });

  it('refuses an invalid value with the setting it belongs to and writes nothing', async () => {
    const before = fs.readFileSync(file, 'utf8');
    const result = await client.config.updateSettings([{ key: 'model.temperature', value: 5 }]);
    expect(result).toEqual({ ok: false, issues: [{ key: 'model.temperature', message: expect.stringMatching(/2/) }] });
    const egress = await client.config.updateSettings([{ key: 'model.base_url', value: 'https://models.example.com' }]);
    expect(egress.ok).toBe(false);
    if (!egress.ok) expect(egress.issues[0]!.message).toMatch(/local_only|model_egress/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(runtime.config.model.temperature).toBe(0.7);
  });

  it('a named rule added from Settings decides at once, under its name', async () => {
    const added = await client.config.updateSettings([{ rule: 'add', value: { name: 'No reading notes', tool: 'read_note', effect: 'deny', reason: 'notes are private' } }]);
    expect(added.ok && added.settings.rules[1]).toMatchObject({ index: 1, label: 'No reading notes', effect: 'deny' });
    expect(fs.readFileSync(file, 'utf8')).toMatch(/- name: No reading notes\n\s+tool: read_note\n\s+effect: deny\n\s+reason: notes are private/);
    ollama.script([{ toolCalls: [{ name: 'read_note', arguments: { text: 'x' } }] }, { content: 'It was refused.' }]);
    const denied = waitFor(api, (e) => e.type === 'policy.denied');
    const done = waitFor(api, (e) => e.type === 'run.finished');
    await client.runs.start({ goal: 'read my note' });
    expect(await denied).toMatchObject({ rule: 'No reading notes', reason: 'notes are private' });
    await done;
    // an invalid rule is refused with its place
    const bad = await client.config.updateSettings([{ rule: 'set', index: 1, value: { tool: 'read_note', effect: 'maybe' as 'deny' } }]);
    expect(bad).toMatchObject({ ok: false, issues: [{ key: 'policy.rules[1].effect' }] });
    const removed = await client.config.updateSettings([{ rule: 'remove', index: 1 }]);
    expect(removed.ok && removed.settings.rules.map((r) => r.label)).toEqual(['policy.rules[0]']);
    expect(fs.readFileSync(file, 'utf8')).toContain('# my rules');
  });

  it('a setting the runtime cannot change while running says it needs a restart', async () => {
    const result = await client.config.updateSettings([{ key: 'memory.embed_model', value: 'all-minilm' }]);
    expect(result.ok && result.settings.restartNeeded).toEqual(['memory.embed_model']);
  });

  it('records a verdict on a run that used no skill; the run list carries it', async () => {
    ollama.script([{ content: 'Paris.' }]);
    const done = waitFor(api, (e) => e.type === 'run.finished');
    const { runId } = await client.runs.start({ goal: 'capital of France?' });
    await done;
    const recorded = await client.runs.feedback(runId, 'good', 'short and right');
    expect(recorded).toMatchObject({ feedback: { verdict: 'good', reason: 'short and right' }, skills: [] });
    expect((await client.runs.list()).find((r) => r.runId === runId)?.feedback).toMatchObject({ verdict: 'good' });
    await client.runs.feedback(runId, 'bad');
    expect((await client.runs.list()).find((r) => r.runId === runId)?.feedback).toMatchObject({ verdict: 'bad' });
    await expect(client.runs.feedback('run_nope', 'good')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('pushes the model server going down and coming back within seconds', async () => {
    const events: ModelStatusEvent[] = [];
    const off = api.onEvent((e) => { if (e.type === 'model.status') events.push(e); });
    try {
      await expect.poll(() => events.at(-1)?.status.reachable, { timeout: 10_000 }).toBe(true);
      await ollama.down();
      const downAt = Date.now();
      await expect.poll(() => events.at(-1)?.status.reachable, { timeout: 10_000 }).toBe(false);
      expect(Date.now() - downAt).toBeLessThan(6000);
      const pushedWhileDown = events.length;
      await new Promise((r) => setTimeout(r, 3500));
      expect(events.length).toBe(pushedWhileDown); // only changes are pushed, not each check (nor other wording)
      await ollama.up();
      const upAt = Date.now();
      await expect.poll(() => events.at(-1)?.status.reachable, { timeout: 10_000 }).toBe(true);
      expect(Date.now() - upAt).toBeLessThan(4000);
    } finally {
      off();
    }
  }, 40_000);
});
