// The skills capability inside a real runtime, driven by the scripted Ollama server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent, SkillLearningEvent, SystemEvent } from '../../../src/common/index.ts';
import { Runtime, SkillsExtension } from '../../../src/runtime/index.ts';
import type { Embedder } from '../../../src/runtime/skills/index.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { addTool, echoTool } from '../../support/fixtures.ts';
import { jsonSkill, skillSetup, type SkillSetup } from './helpers.ts';

/** Bag-of-words vectors over a tiny vocabulary: enough to make "similar" meaningful in tests. */
const VOCAB = ['refund', 'order', 'invoice', 'total', 'greet', 'hello', 'weather', 'temperature'];
const wordEmbedder: Embedder = async (texts) => texts.map((t) => VOCAB.map((w) => (t.toLowerCase().includes(w) ? 1 : 0)));

describe('skills extension', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  function start(setup: SkillSetup, options: { embed?: Embedder } = {}) {
    const skills = new SkillsExtension(setup.config, { embed: options.embed ?? wordEmbedder });
    const runtime = new Runtime({ config: setup.config, extensions: [skills], tools: [addTool, echoTool()], trace: false });
    const system: SystemEvent[] = [];
    runtime.onSystemEvent((e) => system.push(e));
    const run = async (goal: string) => {
      const handle = runtime.startRun(goal);
      const events: RunEvent[] = [];
      handle.events.subscribe((e) => events.push(e));
      return { runId: handle.runId, result: await handle.result, events };
    };
    return { runtime, skills, system, run };
  }

  it('injects the matching skill, emits skill.used, and records the outcome and later feedback', async () => {
    const setup = skillSetup('', ollama.url);
    setup.write('refund_customer.json', jsonSkill('refund_customer', { triggers: ['refund'], instructions: 'Check the order, then refund.', approval_threshold_usd: 50 }));
    setup.write('invoice_total.json', jsonSkill('invoice_total', { triggers: ['invoice'] }));
    const { runtime, skills, run } = start(setup);
    ollama.script([{ content: 'Refunded.' }]);
    const { runId, result, events } = await run('Please refund order 17');
    await runtime.close();

    expect(result.status).toBe('completed');
    const system = ollama.chatRequests.at(-1)!.messages.find((m) => m.role === 'user')!.content; // skills go with the goal
    expect(system).toContain('- refund_customer: The refund_customer skill');
    expect(system).toContain('Check the order, then refund.');
    expect(system).toContain('Actions above 50 USD need the user');
    expect(system).not.toContain('invoice_total');
    expect(events.filter((e) => e.type === 'skill.used')).toEqual([expect.objectContaining({ name: 'refund_customer', how: 'injected', confidence: 0.5, relevance: 1 })]);
    expect(skills.library.getSkill('refund_customer')).toMatchObject({ success_count: 1, failure_count: 0 });
    expect(await skills.library.feedback(runId, 'bad')).toEqual(['refund_customer']);
    expect(skills.library.getSkill('refund_customer').failure_count).toBe(1);
    expect(skills.listSkills().find((s) => s.name === 'refund_customer')?.approval_threshold_usd).toBe(50);
  });

  it('run_skill runs skill code whose tool calls go through the guarded path, limited to the manifest', async () => {
    const setup = skillSetup('', ollama.url);
    setup.write('double_add.json', jsonSkill('double_add', {
      required_mcp_tools: ['add'],
      code: 'const sum = await tools.add({ a: input.x, b: input.x }); let echo; try { await tools.echo({ text: "x" }) } catch (e) { echo = e.message } return { sum, echo: echo ?? typeof tools.echo }',
    }));
    const { runtime, run } = start(setup);
    ollama.script([{ toolCalls: [{ name: 'run_skill', arguments: { name: 'double_add', input: { x: 4 } } }] }, { content: 'ok' }]);
    const { events } = await run('use double add on 4');
    await runtime.close();

    const results = events.filter((e) => e.type === 'tool.result');
    expect(results.map((e) => e.name)).toEqual(['add', 'run_skill']);
    expect(JSON.parse(results[1]!.output!)).toEqual({ value: { sum: 8, echo: 'tools.echo is not a function' } });
    expect(events.some((e) => e.type === 'tool.called' && e.name === 'echo')).toBe(false);
    expect(events.filter((e) => e.type === 'skill.used').map((e) => e.how)).toContain('run');
  });

  it('run_js computes in the sandbox with no tools unless configured', async () => {
    const setup = skillSetup('sandbox: { run_js_tools: [add], cpu_timeout_ms: 300, wall_timeout_ms: 60000 }\nruntime: { tool_timeout_s: 120 }', ollama.url);
    const { runtime, run } = start(setup);
    ollama.script([
      { toolCalls: [{ name: 'run_js', arguments: { code: 'console.log("hi"); return { n: input.n * 2, add: await tools.add({ a: 1, b: 2 }), echo: typeof tools.echo }', input: { n: 21 } } }] },
      { toolCalls: [{ name: 'run_js', arguments: { code: 'while (true) {}' } }] },
      { content: 'done' },
    ]);
    const { result, events } = await run('compute');
    await runtime.close();

    expect(result.status).toBe('completed');
    const results = events.filter((e) => e.type === 'tool.result').filter((e) => e.name === 'run_js');
    expect(JSON.parse(results[0]!.output!)).toEqual({ value: { n: 42, add: 3, echo: 'undefined' }, console: 'hi' });
    expect(results[1]).toMatchObject({ ok: false, error: expect.stringContaining('sandbox.cpu_timeout_ms') });
  });

  it('hot reload: a skill added while a run is going is found at the next step, with a reload event', async () => {
    const setup = skillSetup('', ollama.url);
    const { runtime, run, system } = start(setup);
    ollama.script((_request, index) => {
      if (index === 0) {
        setup.write('late/SKILL.md', '---\nname: late\ndescription: Added mid-run\n---\n\nThe late instructions.\n');
        setup.write('late/scripts/check.py', 'print(1)');
        setup.write('junk.json', '{');
        return { toolCalls: [{ name: 'load_skill', arguments: { name: 'late' } }] };
      }
      return { content: 'done' };
    });
    const { events } = await run('anything');
    await runtime.close();

    const loaded = events.find((e) => e.type === 'tool.result' && e.name === 'load_skill');
    expect(loaded).toMatchObject({ ok: true, output: expect.stringContaining('The late instructions.') });
    expect(loaded).toMatchObject({ output: expect.stringContaining(`Files bundled with this skill: ${path.join(setup.registry, 'late', 'scripts', 'check.py')}.`) });
    expect(system).toContainEqual(expect.objectContaining({ type: 'skills.reloaded', added: ['late'], issues: [expect.objectContaining({ file: path.join(setup.registry, 'junk.json') })] }));
  });

  it('falls back to keywords and confidence when embeddings fail, with a notice', async () => {
    const setup = skillSetup('', ollama.url);
    setup.write('refund_customer.json', jsonSkill('refund_customer', { triggers: ['refund'] }));
    const { runtime, run } = start(setup, { embed: () => Promise.reject(new Error('no embedding model')) });
    ollama.script([{ content: 'ok' }]);
    const { events } = await run('refund order 3');
    await runtime.close();
    expect(events).toContainEqual(expect.objectContaining({ type: 'run.notice', source: 'skills', message: expect.stringContaining('no embedding model') }));
    expect(events.some((e) => e.type === 'skill.used' && e.name === 'refund_customer')).toBe(true);
  });
});

describe('learning loop', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  const learnedReply = (extra: Record<string, unknown> = {}) => ({
    content: JSON.stringify({
      name: 'invoice_sum',
      description: 'Sum the invoice total of line items',
      triggers: ['invoice total'],
      instructions: '1. Collect items. 2. Sum them.',
      code: 'return input.items.reduce((s, i) => s + i, 0)',
      test: { input: { items: [1, 2, 3] }, expected: 6 },
      ...extra,
    }),
  });

  function runtimeFor(setup: SkillSetup) {
    const skills = new SkillsExtension(setup.config, { embed: wordEmbedder });
    const runtime = new Runtime({ config: setup.config, extensions: [skills], tools: [echoTool()], trace: false });
    const system: SystemEvent[] = [];
    runtime.onSystemEvent((e) => system.push(e));
    return { skills, runtime, system };
  }

  const echo = { name: 'echo', arguments: { text: 'items' } };

  /** A run with three tool calls (enough to learn from), then the learning reply; resolves once learning is done. */
  async function learningRun(learner: ReturnType<typeof runtimeFor>, goal: string, learned: ScriptedReply, calls = 3) {
    ollama.script([{ toolCalls: Array.from({ length: calls }, () => echo) }, { content: 'Total is 6.' }, learned]);
    const from = learner.system.length;
    const handle = learner.runtime.startRun(goal);
    const events: RunEvent[] = [];
    handle.events.subscribe((e) => events.push(e));
    await handle.result;
    await learner.skills.idle();
    const learning = learner.system.slice(from).filter((e): e is SkillLearningEvent => e.type === 'skill.learning');
    return { events, learning };
  }

  it('distils an uncovered run into a tested, unapproved skill; approval makes it usable; a near-duplicate updates it', async () => {
    const setup = skillSetup('', ollama.url);
    const learner = runtimeFor(setup);
    const { skills, runtime } = learner;
    const { learning } = await learningRun(learner, 'what is the invoice total of 1, 2 and 3?', learnedReply());
    expect(learning.map((e) => e.state)).toEqual(['started', 'learned']);
    expect(learning[1]).toMatchObject({ name: 'invoice_sum', action: 'created', approved: false, version: 1 });
    const file = path.join(setup.userDir, 'invoice_sum.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ approved: false, code: expect.any(String), required_mcp_tools: ['echo'] });
    expect(ollama.chatRequests.at(-1)!.messages[1]!.content).toContain('[tool echo →] echo: items');

    ollama.script([{ content: 'ok' }]);
    await runtime.startRun('invoice total please').result;
    expect(ollama.chatRequests.at(-1)!.messages.find((m) => m.role === 'user')!.content).not.toContain('invoice_sum');

    skills.library.approve('invoice_sum');
    ollama.script([{ content: 'ok' }]);
    await runtime.startRun('invoice total please').result;
    expect(ollama.chatRequests.at(-1)!.messages.find((m) => m.role === 'user')!.content).toContain('1. Collect items. 2. Sum them.');

    const again = await learningRun(learner, 'compute an invoice total for my order', learnedReply({ name: 'invoice_adder', instructions: 'Better steps.' }));
    await runtime.close();
    // The approved skill was injected for this goal, so it counts as covered: no learning happens.
    expect(again.learning).toEqual([]);
    expect(skills.library.history('invoice_sum').map((v) => [v.version, v.source])).toEqual([[1, 'agent'], [2, 'user']]);
  });

  it('learns after run.finished, in the background, and only from runs with at least 3 tool calls', async () => {
    const setup = skillSetup('', ollama.url);
    const learner = runtimeFor(setup);
    const short = await learningRun(learner, 'what is the invoice total of 1 and 2?', learnedReply(), 2);
    expect(short.learning).toEqual([]);
    expect(ollama.chatRequests).toHaveLength(2);

    ollama.script([{ toolCalls: [echo, echo, echo] }, { content: 'Total is 6.' }, { ...learnedReply(), delayMs: 400 }]);
    const from = learner.system.length;
    const handle = learner.runtime.startRun('what is the invoice total of 1, 2 and 3?');
    const result = await handle.result;
    expect(result.status).toBe('completed');
    // The run's answer did not wait for the learning model call.
    expect(learner.system.slice(from).some((e) => e.type === 'skill.learning' && e.state === 'learned')).toBe(false);
    await learner.skills.idle();
    expect(learner.system.slice(from)).toContainEqual(expect.objectContaining({ type: 'skill.learning', runId: handle.runId, state: 'learned', name: 'invoice_sum' }));
    await learner.runtime.close();
  });

  it('does not learn in a subagent', async () => {
    const setup = skillSetup('', ollama.url);
    const skills = new SkillsExtension(setup.config, { embed: wordEmbedder, learn: false });
    const runtime = new Runtime({ config: setup.config, extensions: [skills], tools: [echoTool()], trace: false });
    const system: SystemEvent[] = [];
    runtime.onSystemEvent((e) => system.push(e));
    const { learning } = await learningRun({ skills, runtime, system }, 'what is the invoice total of 1, 2 and 3?', learnedReply());
    await runtime.close();
    expect(learning).toEqual([]);
  });

  it('updates a near-duplicate instead of adding a skill, and leaves out code that fails its test', async () => {
    const setup = skillSetup('', ollama.url);
    setup.write('invoice_sum.json', jsonSkill('invoice_sum', { description: 'Invoice total', triggers: ['zzz'], approved: false }), setup.userDir);
    const learner = runtimeFor(setup);
    const { skills, runtime } = learner;
    const { learning } = await learningRun(learner, 'add up these numbers', learnedReply({ name: 'invoice_totaliser', test: { input: { items: [1] }, expected: 2 } }));
    await runtime.close();
    expect(learning).toContainEqual(expect.objectContaining({ state: 'learned', name: 'invoice_sum', action: 'updated', version: 2, message: expect.stringContaining('returned 1 instead of 2') }));
    const skill = skills.library.getSkill('invoice_sum');
    expect(skill).toMatchObject({ instructions: '1. Collect items. 2. Sum them.', approved: false });
    expect(skill.code).toBeUndefined();
    expect(skills.library.history('invoice_sum').map((v) => v.source)).toEqual(['user', 'agent']);
    expect(fs.existsSync(path.join(setup.userDir, 'invoice_totaliser.json'))).toBe(false);
  });

  it('learning uses the model the user picked after start (Runtime.useModel), not the one at start', async () => {
    const two = await ScriptedOllama.start({ models: [DEFAULT_MODEL, { name: 'other-model:1b', capabilities: ['completion', 'tools'] }] });
    const setup = skillSetup('', two.url);
    const learner = runtimeFor(setup);
    await learner.runtime.start();
    learner.runtime.useModel({ ...setup.config.model, name: 'other-model:1b' });
    two.script([{ toolCalls: [echo, echo, echo] }, { content: 'Total is 9.' }, learnedReply()]);
    await learner.runtime.startRun('what is the invoice total of 4 and 5?').result;
    await learner.skills.idle();
    await learner.runtime.close();
    await two.close();
    expect(learner.system).toContainEqual(expect.objectContaining({ type: 'skill.learning', state: 'learned', name: 'invoice_sum' }));
    const learning = two.chatRequests.at(-1)!;
    expect(learning.messages[0]!.content).toContain('turn a finished agent run into a reusable skill');
    expect(learning.model).toBe('other-model:1b');
  });

  it('a bad distillation is reported and saves nothing; the run still completes', async () => {
    const setup = skillSetup('', ollama.url);
    const learner = runtimeFor(setup);
    const prose = await learningRun(learner, 'do a thing', { content: 'I would call it a nice skill.' });
    const invalid = await learningRun(learner, 'do a thing', learnedReply({ name: 'Bad Name!' }));
    await learner.runtime.close();
    expect(prose.learning).toContainEqual(expect.objectContaining({ state: 'failed', message: 'could not learn a skill from this run: the model did not answer with a JSON skill' }));
    expect(invalid.learning).toContainEqual(expect.objectContaining({ state: 'failed', message: expect.stringContaining("the model's skill is invalid: name: use 1-64 lowercase") }));
    expect(invalid.events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' });
    expect(fs.existsSync(setup.userDir) ? fs.readdirSync(setup.userDir) : []).toEqual([]);
  });
});

describe('a subagent role\'s skill subset', () => {
  it('retrieves and loads only the skills it was given', async () => {
    const setup = skillSetup('', 'http://127.0.0.1:1');
    setup.write('refund_customer.json', jsonSkill('refund_customer', { triggers: ['refund'] }));
    setup.write('invoice_total.json', jsonSkill('invoice_total', { triggers: ['invoice'] }));
    const skills = new SkillsExtension(setup.config, { embed: wordEmbedder, only: ['invoice_total'] });
    const runtime = new Runtime({ config: setup.config, extensions: [skills], trace: false });
    await runtime.start();
    expect((await skills.retrieve('refund the invoice order')).map((r) => r.skill.name)).toEqual(['invoice_total']);
    const load = runtime.registry.get('load_skill')!;
    const context = { runId: 'r', callId: 'c', signal: new AbortController().signal, invoke: () => Promise.reject(new Error('unused')) };
    await expect(load.run({ name: 'refund_customer' }, context)).rejects.toThrow('no skill named "refund_customer"; available: invoice_total');
    await runtime.close();
  });
});
