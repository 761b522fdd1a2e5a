// The skills section over the real skill library (skill files in temp dirs) inside a full runtime: search, one file
// per skill edited as text with issues by line, live saves, history, rollback, bundled skills kept read-only,
// thresholds as policy rules and every new version in the audit log.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, PendingQuestion } from '../../../src/common/index.ts';
import { openAuditLog, type Runtime, type Tool } from '../../../src/runtime/index.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { jsonSkill, skillMd, skillSetup } from '../skills/helpers.ts';
import { startApi } from './helpers.ts';

function reply(request: ChatRequestBody): ScriptedReply {
  if (request.messages.some((m) => m.role === 'tool')) return { content: 'done' };
  // The request itself (the goal message may carry context first: skills, recalled notes of earlier refunds).
  const amount = /refund (\d+)/.exec(request.messages.findLast((m) => m.role === 'user')?.content.split('## Request\n').at(-1) ?? '')?.[1];
  return { content: '', toolCalls: [{ name: 'issue_refund', arguments: { amount: Number(amount), order: 'A-1' } }] };
}

const refundTool: Tool = {
  name: 'issue_refund',
  description: 'Refund an order',
  parameters: { type: 'object', properties: { amount: { type: 'number' }, order: { type: 'string' } }, required: ['amount', 'order'] },
  capability: 'read',
  source: { kind: 'builtin' },
  run: async (args) => `refunded ${String(args.amount)}`,
};

describe('skills service (real skill library)', () => {
  let ollama: ScriptedOllama;
  const runtimes: Runtime[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply });
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await ollama.close();
  });
  const harness = async () => {
    const setup = skillSetup('', ollama.url);
    setup.write('refund.json', jsonSkill('refund', { description: 'Refund an order', required_mcp_tools: ['issue_refund'] }));
    setup.write('notes/SKILL.md', skillMd('notes', 'metadata:\n  triggers: release notes\n'));
    const h = await startApi(setup.config, [refundTool]);
    runtimes.push(h.runtime);
    return { ...h, ...setup };
  };

  it('lists and searches; a skill is its one file as text; invalid edits come back as issues by line and field', async () => {
    const { client, registry } = await harness();
    expect((await client.skills.list()).map((s) => s.name)).toEqual(['notes', 'refund']);
    expect((await client.skills.list('release')).map((s) => s.name)).toEqual(['notes']);
    const notes = await client.skills.get('notes');
    expect(notes).toMatchObject({ format: 'skill-md', origin: 'bundled', version: 1, file: path.join(registry, 'notes', 'SKILL.md') });
    expect(notes.text).toContain('Steps for notes.');

    const badJson = await client.skills.save({ name: 'refund', format: 'json', text: '{\n  "name": "refund",\n  "description": "x",\n}' });
    expect(badJson).toMatchObject({ ok: false, issues: [{ line: 4, message: expect.stringMatching(/not valid JSON/) }] });
    const refund = await client.skills.get('refund');
    const withColour = refund.text.replace('"instructions"', '"colour": "blue",\n  "instructions"');
    const badField = await client.skills.save({ name: 'refund', format: 'json', text: withColour });
    const colourLine = withColour.split('\n').findIndex((l) => l.includes('"colour"')) + 1;
    expect(badField).toMatchObject({ ok: false, issues: [{ path: 'colour', line: colourLine, message: 'unknown key "colour"' }] });
    const badFront = await client.skills.save({ name: 'notes', format: 'skill-md', text: '---\nname: notes\ndescription: 5\nmetadata:\n  triggers: [x\n---\nBody\n' });
    expect(badFront).toMatchObject({ ok: false, issues: [{ line: 5, message: expect.stringMatching(/not valid YAML/) }] });
    const emptyDescription = await client.skills.save({ name: 'notes', format: 'skill-md', text: '---\nname: notes\ndescription: ""\n---\nBody\n' });
    expect(emptyDescription).toMatchObject({ ok: false, issues: [{ path: 'description', line: 3 }] });
    expect(await client.skills.save({ name: 'notes', format: 'json', text: '{}' })).toMatchObject({ ok: false, issues: [{ message: expect.stringMatching(/SKILL.md/) }] });
    await expect(client.skills.get('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('saving a bundled skill writes a new version to the user copy, live at once; the bundled file never changes; rollback and audit', async () => {
    const { client, registry, userDir, config } = await harness();
    const bundled = fs.readFileSync(path.join(registry, 'notes', 'SKILL.md'), 'utf8');
    const saved = await client.skills.save({ name: 'notes', format: 'skill-md', text: skillMd('notes', 'metadata:\n  triggers: changelog\n', 'New steps.') });
    expect(saved).toMatchObject({ ok: true, skill: { version: 2, origin: 'user', triggers: ['changelog'], file: path.join(userDir, 'notes', 'SKILL.md') } });
    expect(fs.readFileSync(path.join(registry, 'notes', 'SKILL.md'), 'utf8')).toBe(bundled);
    expect((await client.skills.list('changelog')).map((s) => s.name)).toEqual(['notes']);

    const rolled = await client.skills.rollback('notes', 1);
    expect(rolled).toMatchObject({ version: 3, triggers: ['release notes'] });
    expect((await client.skills.history('notes')).map((v) => [v.version, v.source])).toEqual([[1, 'user'], [2, 'user'], [3, 'user']]);
    await expect(client.skills.rollback('notes', 9)).rejects.toMatchObject({ code: 'bad_request' });

    const created = await client.skills.create('triage', 'Sort incoming bugs by severity');
    expect(created).toMatchObject({ name: 'triage', format: 'json', origin: 'user', version: 1 });
    await expect(client.skills.create('triage', 'again')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(client.skills.create('Bad Name', 'x')).rejects.toMatchObject({ code: 'bad_request' });

    const log = openAuditLog(config);
    const changes = [...log.entries()].filter((e) => e.kind === 'skill.change').map((e) => e.data as { skill: string; change: string; version: number });
    log.close();
    expect(changes).toEqual([
      expect.objectContaining({ skill: 'notes', change: 'saved', version: 2 }),
      expect.objectContaining({ skill: 'notes', change: 'rolled back', version: 3, from: 1 }),
      expect.objectContaining({ skill: 'triage', change: 'saved', version: 1 }),
    ]);
  });

  it("a skill's approval_threshold_usd becomes a policy ask for its tools above the amount, set by a save", async () => {
    const { client, api, next } = await harness();
    const questions: PendingQuestion[] = [];
    api.onEvent((e: ApiEvent) => e.type === 'question.asked' && questions.push(e.question));
    let finished = next((e) => e.type === 'run.finished');
    await client.runs.start({ goal: 'refund 500' });
    await finished;
    expect(questions).toEqual([]);
    expect(ollama.chatRequests.at(-1)!.messages.findLast((m) => m.role === 'tool')?.content).toContain('refunded 500');

    const refund = await client.skills.get('refund');
    const text = JSON.stringify({ ...(JSON.parse(refund.text) as object), approval_threshold_usd: 100 }, null, 2);
    expect(await client.skills.save({ name: 'refund', format: 'json', text })).toMatchObject({ ok: true });
    expect((await client.skills.get('refund')).approvalThresholdUsd).toBe(100);

    finished = next((e) => e.type === 'run.finished');
    await client.runs.start({ goal: 'refund 50' });
    await finished;
    expect(questions).toEqual([]);

    const asked = next((e) => e.type === 'question.asked');
    finished = next((e) => e.type === 'run.finished');
    await client.runs.start({ goal: 'refund 500' });
    await asked;
    const [pending] = await client.approvals.pending();
    expect(pending).toMatchObject({ tool: 'issue_refund', rule: 'skills.rules[0]', reason: expect.stringContaining('skill refund: amounts above $100') });
    await client.approvals.decide(pending!.id, { action: 'deny', scope: 'once', reason: 'too much' });
    await finished;
    expect(ollama.chatRequests.at(-1)!.messages.findLast((m) => m.role === 'tool')?.content).toContain('too much');
  });
});
