// OpenTelemetry export end to end: a real Runtime (and a real subagent process) exporting through the official OTLP
// exporters to a receiver on loopback that decodes what arrives. One run with two tool calls and a subagent must
// become one trace with the right parent links and GenAI attributes, plus the metrics.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/common/index.ts';
import { Runtime, readTelemetryStatus } from '../../../src/runtime/index.ts';
import { OtlpReceiver, type ReceivedSpan } from '../../support/otlp-receiver.ts';
import { ScriptedOllama, type ChatRequestBody } from '../../support/scripted-ollama.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';
import { waitNoChildren } from '../agents/process-table.ts';

const isParent = (request: ChatRequestBody) => (request.tools ?? []).some((t) => t.function.name === 'spawn_subagent');

const config = (endpoint: string, protocol = 'http/protobuf') => `telemetry:
  enabled: true
  otlp: { endpoint: "${endpoint}", protocol: ${protocol} }
agents:
  enabled: true
  roles:
    researcher: { description: finds facts, tools: ['echo*'] }
`;

describe('telemetry: one trace per run, subagents included', () => {
  let ollama: ScriptedOllama;
  let receiver: OtlpReceiver;
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await receiver?.close();
    expect(await waitNoChildren()).toEqual([]);
  });
  afterAll(() => ollama.close());

  for (const protocol of ['http/protobuf', 'http/json']) {
    it(`exports invoke_agent → chat / execute_tool → the subagent's invoke_agent as one trace (${protocol})`, async () => {
      receiver = await OtlpReceiver.start();
      let parentTurn = 0;
      ollama.script((request) => {
        if (!isParent(request)) return { content: 'child answer', promptEvalCount: 11, evalCount: 4 };
        parentTurn++;
        if (parentTurn === 1) return { toolCalls: [{ name: 'echo', arguments: { text: 'one' } }, { name: 'echo', arguments: { text: 'two' } }], promptEvalCount: 100, evalCount: 20 };
        if (parentTurn === 2) return { toolCalls: [{ name: 'spawn_subagent', arguments: { goal: 'look it up', role: 'researcher' } }], promptEvalCount: 50, evalCount: 10 };
        return { content: 'all done', promptEvalCount: 30, evalCount: 6 };
      });
      const cfg = testConfig(config(receiver.url, protocol), ollama.url);
      runtime = new Runtime({ config: cfg, tools: [echoTool()] });
      const events: RunEvent[] = [];
      runtime.onEvent((event) => events.push(event));
      const run = runtime.startRun('research and report');
      expect(await run.result).toMatchObject({ status: 'completed', answer: 'all done' });
      await runtime.close(); // flushes this process's spans and metrics
      runtime = undefined;
      await receiver.waitFor(() => receiver.spans().filter((s) => s.name.startsWith('invoke_agent')).length === 2 && receiver.spans().some((s) => s.name === 'chat qwen3:4b' && s.attributes['gen_ai.agent.name'] === undefined && s.parentSpanId !== undefined && childSpanIds(receiver.spans()).has(s.parentSpanId)));

      const spans = receiver.spans();
      expect(receiver.requests.every((r) => r.contentType === (protocol === 'http/json' ? 'application/json' : 'application/x-protobuf'))).toBe(true);
      expect(new Set(spans.map((s) => s.traceId)).size).toBe(1); // ONE trace, across both processes

      const root = one(spans, (s) => s.name === 'invoke_agent rein');
      expect(root.parentSpanId).toBeUndefined();
      expect(root.attributes).toMatchObject({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': 'ollama',
        'gen_ai.request.model': 'qwen3:4b',
        'gen_ai.agent.name': 'rein',
        'gen_ai.conversation.id': run.runId,
        'gen_ai.usage.input_tokens': 180,
        'gen_ai.usage.output_tokens': 36,
        'rein.run.id': run.runId,
        'rein.run.status': 'completed',
        'rein.run.steps': 3,
        'rein.agent.depth': 0,
      });
      expect(root.resource['service.name']).toBe('rein');

      const chats = spans.filter((s) => s.parentSpanId === root.spanId && s.name === 'chat qwen3:4b').sort((a, b) => a.startMs - b.startMs);
      expect(chats).toHaveLength(3);
      expect(chats.map((c) => [c.attributes['gen_ai.usage.input_tokens'], c.attributes['gen_ai.usage.output_tokens']])).toEqual([[100, 20], [50, 10], [30, 6]]);
      expect(chats.map((c) => c.attributes['gen_ai.response.finish_reasons'])).toEqual([['tool_calls'], ['tool_calls'], ['stop']]);
      for (const chat of chats) {
        expect(chat.kind).toBe(3); // CLIENT
        expect(chat.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'ollama', 'gen_ai.request.model': 'qwen3:4b', 'gen_ai.conversation.id': run.runId });
      }

      const calls = events.filter((e) => e.type === 'tool.called');
      const echoes = spans.filter((s) => s.name === 'execute_tool echo');
      expect(echoes).toHaveLength(2);
      expect(new Set(echoes.map((s) => s.attributes['gen_ai.tool.call.id']))).toEqual(new Set(calls.filter((c) => c.name === 'echo').map((c) => c.callId)));
      for (const echo of echoes) {
        expect(echo.parentSpanId).toBe(root.spanId);
        expect(echo.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'echo', 'gen_ai.tool.type': 'function', 'rein.policy.decision': 'allow', 'rein.tool.source': 'builtin' });
        expect(echo.startMs).toBeGreaterThanOrEqual(chats[0]!.endMs - 1);
        expect(echo.endMs).toBeLessThanOrEqual(chats[1]!.startMs + 1);
      }

      const spawn = one(spans, (s) => s.name === 'execute_tool spawn_subagent');
      expect(spawn.parentSpanId).toBe(root.spanId);
      expect(spawn.attributes).toMatchObject({ 'gen_ai.tool.name': 'spawn_subagent', 'rein.agent.role': 'researcher', 'rein.agent.backend': 'local' });
      expect(spawn.attributes['gen_ai.agent.id']).toMatch(/^researcher#\d+$/);

      // The subagent ran in another process and exported its own spans, nested under the call that started it.
      const child = one(spans, (s) => s.name === 'invoke_agent researcher');
      expect(child.parentSpanId).toBe(spawn.spanId);
      expect(child.attributes).toMatchObject({ 'gen_ai.agent.name': 'researcher', 'rein.agent.depth': 1, 'rein.run.status': 'completed' });
      expect(child.startMs).toBeGreaterThanOrEqual(spawn.startMs);
      expect(child.endMs).toBeLessThanOrEqual(spawn.endMs + 1);
      const childChat = one(spans, (s) => s.parentSpanId === child.spanId && s.name.startsWith('chat'));
      expect(childChat.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 11, 'gen_ai.usage.output_tokens': 4 });

      // Metrics: the GenAI histograms and Rein's run counter.
      await receiver.waitFor(() => receiver.metrics().some((m) => m.name === 'rein.runs'));
      const metrics = receiver.metrics();
      const tokens = metrics.filter((m) => m.name === 'gen_ai.client.token.usage').flatMap((m) => m.points);
      const parentInput = tokens.find((p) => p.attributes['gen_ai.token.type'] === 'input' && p.count === 3);
      expect(parentInput).toMatchObject({ sum: 180, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'ollama', 'gen_ai.request.model': 'qwen3:4b' } });
      expect(tokens.find((p) => p.attributes['gen_ai.token.type'] === 'output' && p.count === 3)?.sum).toBe(36);
      const durations = metrics.filter((m) => m.name === 'gen_ai.client.operation.duration');
      expect(durations.every((m) => m.unit === 's')).toBe(true);
      expect(durations.flatMap((m) => m.points).some((p) => p.count === 3)).toBe(true); // the parent's 3 calls (the child's 1 comes apart)
      expect(metrics.filter((m) => m.name === 'rein.runs').flatMap((m) => m.points).some((p) => p.attributes['rein.run.status'] === 'completed' && p.value === 1)).toBe(true);

      // What export did, for rein doctor.
      const [status] = readTelemetryStatus(cfg.dataDir);
      expect(status).toMatchObject({ pid: process.pid, closed: true, protocol, spans: { failed: 0, dropped: 0 } });
      expect(status!.spans.exported).toBeGreaterThanOrEqual(7);
      expect(fs.statSync(path.join(cfg.dataDir, 'telemetry-status.json')).mode & 0o777).toBe(0o600);
    }, 120_000);
  }
});

describe('telemetry: sampling', () => {
  it('sample_ratio 0 traces no run, while the metrics still count every run', async () => {
    const ollama = await ScriptedOllama.start({ replies: () => ({ content: 'done' }) });
    const receiver = await OtlpReceiver.start();
    try {
      const runtime = new Runtime({ config: testConfig(`telemetry: { enabled: true, sample_ratio: 0, otlp: { endpoint: "${receiver.url}" } }\n`, ollama.url) });
      for (let i = 0; i < 3; i++) expect((await runtime.startRun(`task ${i}`).result).status).toBe('completed');
      await runtime.close();
      await receiver.waitFor(() => receiver.metrics().some((m) => m.name === 'rein.runs'));
      expect(receiver.spans()).toEqual([]);
      expect(receiver.metrics().filter((m) => m.name === 'rein.runs').flatMap((m) => m.points).map((p) => p.value)).toEqual([3]);
    } finally {
      await receiver.close();
      await ollama.close();
    }
  }, 60_000);
});

function one(spans: ReceivedSpan[], match: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(match);
  if (found.length !== 1) throw new Error(`expected one span, found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

function childSpanIds(spans: ReceivedSpan[]): Set<string> {
  return new Set(spans.filter((s) => s.name === 'invoke_agent researcher').map((s) => s.spanId));
}
