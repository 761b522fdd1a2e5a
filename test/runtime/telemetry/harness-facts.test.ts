// What the harness decided shows on the spans: policy (allow, deny by rule, ask → who approved and how long it
// waited), knowledge lookups as `retrieval` spans inside their tool call, the schedule that started a run, a
// harness stop's reason as a code — and the approval wait as a metric.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, type Asker } from '../../../src/runtime/index.ts';
import { OtlpReceiver } from '../../support/otlp-receiver.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { echoTool, tempDir, testConfig } from '../../support/fixtures.ts';
import { isSummaryRequest } from '../memory/support.ts';

describe('telemetry: policy, retrieval, schedules and stops on the spans', () => {
  let ollama: ScriptedOllama;
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    receiver = await OtlpReceiver.start();
  });
  afterAll(async () => {
    await ollama.close();
    await receiver.close();
  });

  it('records decisions, approver and wait, lookups, the schedule and the stop reason', async () => {
    const docs = tempDir('rein-docs-');
    fs.writeFileSync(path.join(docs, 'notes.md'), '# Invoices\nThe invoice total for March was 420 euros.\n');
    const yaml = `telemetry: { enabled: true, otlp: { endpoint: "${receiver.url}", protocol: http/json } }
knowledge: { paths: ["${docs}"] }
policy:
  rules:
    - { effect: deny, tool: secret_write, reason: never }
    - { effect: ask, tool: [echo, eraser] }
`;
    const config = testConfig(yaml, ollama.url);
    // The approver takes a moment, as a person would, and declines the eraser.
    const ask: Asker = (question) =>
      new Promise((resolve) => setTimeout(() => resolve(JSON.stringify(question).includes('eraser') ? { action: 'decline', by: 'alice' } : { action: 'accept', by: 'alice' }), 150));
    const runtime = new Runtime({ config, tools: [echoTool(), echoTool('secret_write', 'write'), echoTool('eraser', 'write')], ask });
    let turn = 0;
    ollama.script(() => {
      turn++;
      if (turn === 1) return { toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }, { name: 'secret_write', arguments: { text: 'x' } }, { name: 'eraser', arguments: { text: 'y' } }] };
      if (turn === 2) return { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'invoice total' } }] };
      return { content: 'done' };
    });
    await runtime.start(); // as in the host: its scheduler starts once the runtime has
    const run = runtime.startRun('check the invoices');
    // The host's scheduler reports the run it started through the runtime's system events.
    runtime.notify({ type: 'schedule.run', schedule: 'nightly-invoices', slotId: 'slot-7', status: 'started', runId: run.runId });
    expect((await run.result).status).toBe('completed');
    // A run a harness guard stops: its reason as a short code, never its text.
    ollama.script(() => ({ toolCalls: [{ name: 'echo', arguments: { text: `again ${Math.random()}` } }] }));
    const stopped = await runtime.startRun('loop forever').result;
    expect(stopped.status).toBe('stopped');
    await runtime.close();

    await receiver.waitFor(() => receiver.spans().filter((s) => s.name === 'invoke_agent rein').length === 2 && receiver.metrics().some((m) => m.name === 'rein.approval.wait.duration'));
    const spans = receiver.spans();
    const root = spans.find((s) => s.attributes['rein.run.id'] === run.runId)!;
    expect(root.attributes).toMatchObject({ 'rein.schedule.name': 'nightly-invoices', 'rein.schedule.slot_id': 'slot-7' });

    const echo = spans.find((s) => s.name === 'execute_tool echo' && s.parentSpanId === root.spanId)!;
    expect(echo.attributes).toMatchObject({ 'rein.policy.decision': 'ask', 'rein.policy.rule': 'policy.rules[1]', 'rein.policy.approval': 'allow_once', 'rein.policy.approver': 'alice' });
    expect(echo.attributes['rein.policy.wait_time']).toBeGreaterThanOrEqual(0.1);
    expect(echo.events.map((e) => e.name)).toContain('rein.approval.requested');
    expect(echo.status.code).toBe(0);

    const denied = spans.find((s) => s.name === 'execute_tool secret_write')!;
    expect(denied.attributes).toMatchObject({ 'rein.policy.decision': 'deny', 'rein.policy.rule': 'policy.rules[0]', 'error.type': 'policy_denied' });
    expect(denied.status.code).toBe(2);

    const declined = spans.find((s) => s.name === 'execute_tool eraser')!;
    expect(declined.attributes).toMatchObject({ 'rein.policy.decision': 'ask', 'rein.policy.approval': 'deny', 'rein.policy.approver': 'alice', 'error.type': 'not_approved' });

    const search = spans.find((s) => s.name === 'execute_tool search_knowledge')!;
    expect(search.attributes).toMatchObject({ 'gen_ai.tool.type': 'datastore', 'rein.policy.decision': 'allow' });
    const lookup = spans.find((s) => s.name === 'retrieval knowledge')!;
    expect(lookup.parentSpanId).toBe(search.spanId);
    expect(lookup.attributes).toMatchObject({ 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'knowledge' });

    const loop = spans.find((s) => s.name === 'invoke_agent rein' && s.attributes['rein.run.status'] === 'stopped')!;
    expect(loop.attributes['rein.run.stop_reason']).toMatch(/^(loop|max_steps)$/);
    expect(loop.status.code).toBe(0); // a guard stopping a run is not an error of the system

    const waits = receiver.metrics().filter((m) => m.name === 'rein.approval.wait.duration').flatMap((m) => m.points);
    const allowed = waits.find((p) => p.attributes['rein.policy.approval'] === 'allow_once')!;
    expect(allowed.attributes).toEqual({ 'rein.policy.approval': 'allow_once', 'rein.policy.approver': 'alice' });
    expect(allowed.sum! / allowed.count!).toBeGreaterThanOrEqual(0.1); // each call of both runs waited for alice
    expect(waits.find((p) => p.attributes['rein.policy.approval'] === 'deny')?.count).toBe(1);
    const failures = receiver.metrics().filter((m) => m.name === 'rein.tool.failures').flatMap((m) => m.points);
    expect(failures).toContainEqual(expect.objectContaining({ value: 1, attributes: { 'gen_ai.tool.name': 'secret_write', 'error.type': 'policy_denied' } }));
    const slots = receiver.metrics().filter((m) => m.name === 'rein.schedule.slots').flatMap((m) => m.points);
    expect(slots).toContainEqual(expect.objectContaining({ value: 1, attributes: { 'rein.schedule.name': 'nightly-invoices', 'rein.schedule.status': 'started' } }));
  }, 60_000);

  it('records a compaction of the working context as a rein.compaction span, with its summary call inside its time', async () => {
    let step = 0;
    ollama.script((request) => {
      if (isSummaryRequest(request)) return { content: 'Echoed numbers so far.', delayMs: 50 };
      step++;
      return step > 30 ? { content: 'finished' } : { toolCalls: [{ name: 'echo', arguments: { text: `number ${step} ${'·'.repeat(150)}` } }] };
    });
    const config = testConfig(`telemetry: { enabled: true, otlp: { endpoint: "${receiver.url}", protocol: http/json } }\nruntime: { max_steps: 40, loop_window: 100 }\nmemory: { max_working_tokens: 1500 }\n`, ollama.url);
    const runtime = new Runtime({ config, tools: [echoTool()] });
    const run = runtime.startRun('Count with the echo tool, then say finished.');
    expect((await run.result).status).toBe('completed');
    await runtime.close();
    await receiver.waitFor(() => receiver.spans().some((s) => s.attributes['rein.run.id'] === run.runId));
    const root = receiver.spans().find((s) => s.attributes['rein.run.id'] === run.runId)!;
    const compactions = receiver.spans().filter((s) => s.name === 'rein.compaction' && s.parentSpanId === root.spanId);
    expect(compactions.length).toBeGreaterThanOrEqual(1);
    expect(root.attributes['rein.compaction.count']).toBe(compactions.length);
    for (const compaction of compactions) {
      expect(compaction.attributes).toMatchObject({ 'rein.compaction.method': 'model', 'rein.compaction.turns_removed': expect.any(Number) });
      expect(compaction.attributes['rein.compaction.tokens_after']).toBeLessThan(compaction.attributes['rein.compaction.tokens_before'] as number);
      expect(compaction.endMs - compaction.startMs).toBeGreaterThanOrEqual(40); // the summary call (50 ms) is inside it
    }
  }, 60_000);
});
