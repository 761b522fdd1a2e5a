// Regulated mode: with capture_content off (the default) no prompt, answer, thinking, argument, result, error or
// lookup text leaves in any export — checked against canary strings in the raw bodies of every request the receiver
// got. With capture_content on, the same run's content is there (so the check can fail) — and secrets are redacted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, openMemoryStore, type Tool } from '../../../src/runtime/index.ts';
import { OtlpReceiver } from '../../support/otlp-receiver.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';

const CANARY = {
  goal: 'CANARY-GOAL-61b2',
  thinking: 'CANARY-THINK-0c9e',
  answer: 'CANARY-ANSWER-77d1',
  args: 'CANARY-ARGS-a3f0',
  result: 'CANARY-RESULT-5e8c',
  error: 'CANARY-ERROR-d41d',
  recall: 'CANARY-NOTE-9aa7',
};
const TOKEN = 'tok-live-4f1e9c2b7d';

const lookup: Tool = {
  name: 'lookup',
  description: 'Look something up',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  capability: 'read',
  source: { kind: 'builtin' },
  run: async () => `${CANARY.result} (session ${TOKEN})`,
};
const broken: Tool = {
  name: 'broken',
  description: 'Always fails',
  parameters: { type: 'object', properties: {} },
  capability: 'read',
  source: { kind: 'builtin' },
  run: async () => {
    throw new Error(`${CANARY.error}: could not open the file`);
  },
};

describe('telemetry: content stays home unless capture_content is on', () => {
  let ollama: ScriptedOllama;
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterEach(() => receiver?.close());
  afterAll(() => ollama.close());

  async function exportRun(capture: boolean, protocol: string): Promise<{ raw: string; receiver: OtlpReceiver }> {
    receiver = await OtlpReceiver.start();
    let turn = 0;
    ollama.script(() => {
      turn++;
      if (turn === 1) return { thinking: CANARY.thinking, content: `let me look ${CANARY.args}`, toolCalls: [{ name: 'lookup', arguments: { text: CANARY.args } }, { name: 'broken', arguments: {} }] };
      if (turn === 2) return { toolCalls: [{ name: 'recall', arguments: { query: CANARY.recall } }] };
      return { content: CANARY.answer };
    });
    const yaml = `telemetry:
  enabled: true
  capture_content: ${capture}
  otlp:
    endpoint: "${receiver.url}"
    protocol: ${protocol}
    headers: { authorization: "Bearer \${env:OTLP_TOKEN}" }
`;
    const config = testConfig(yaml, ollama.url, { OTLP_TOKEN: TOKEN });
    // A note that recall finds, so memory lookups (with their query text) are part of the run too.
    const store = await openMemoryStore(config);
    await store.addNote({ content: `${CANARY.recall} is the code`, kind: 'fact', source: 'test' });
    await store.close();
    const runtime = new Runtime({ config, tools: [lookup, broken] });
    const result = await runtime.startRun(`${CANARY.goal}: find it`).result;
    expect(result).toMatchObject({ status: 'completed', answer: CANARY.answer });
    await runtime.close();
    await receiver.waitFor(() => receiver.spans().some((s) => s.name.startsWith('invoke_agent')) && receiver.metrics().length > 0);
    expect(receiver.spans().some((s) => s.name === 'retrieval memory')).toBe(true);
    return { raw: receiver.rawText(), receiver };
  }

  for (const protocol of ['http/protobuf', 'http/json']) {
    it(`exports names, ids, counts and timings only by default (${protocol})`, async () => {
      const { raw, receiver } = await exportRun(false, protocol);
      for (const [what, canary] of Object.entries(CANARY)) expect(raw, `${what} text leaked into the export`).not.toContain(canary);
      expect(raw).not.toContain(TOKEN);
      // ...while the structure is all there.
      const spans = receiver.spans();
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['invoke_agent rein', 'chat qwen3:4b', 'execute_tool lookup', 'execute_tool broken', 'execute_tool recall', 'retrieval memory']));
      const failed = spans.find((s) => s.name === 'execute_tool broken')!;
      expect(failed.status).toEqual({ code: 2 });
      expect(failed.attributes['error.type']).toBe('tool_error');
      const recall = spans.find((s) => s.name === 'retrieval memory' && s.parentSpanId === spans.find((t) => t.name === 'execute_tool recall')?.spanId);
      expect(recall?.attributes).toMatchObject({ 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'memory', 'rein.retrieval.results': 1 });
      expect(Object.keys(recall!.attributes)).not.toContain('gen_ai.retrieval.query.text');
    }, 60_000);
  }

  it('exports the content, redacted, when capture_content is on', async () => {
    const { raw, receiver } = await exportRun(true, 'http/json');
    for (const canary of [CANARY.goal, CANARY.answer, CANARY.args, CANARY.result, CANARY.error, CANARY.recall]) expect(raw).toContain(canary);
    expect(raw).not.toContain(TOKEN);
    const spans = receiver.spans();
    const lookupSpan = spans.find((s) => s.name === 'execute_tool lookup')!;
    expect(JSON.parse(String(lookupSpan.attributes['gen_ai.tool.call.arguments']))).toEqual({ text: CANARY.args });
    expect(lookupSpan.attributes['gen_ai.tool.call.result']).toBe(`${CANARY.result} (session [REDACTED])`);
    const answer = spans.find((s) => s.name === 'invoke_agent rein')!;
    expect(String(answer.attributes['gen_ai.input.messages'])).toContain(CANARY.goal);
    expect(JSON.parse(String(answer.attributes['gen_ai.output.messages']))).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: CANARY.answer }], finish_reason: 'stop' }]);
    const firstChat = spans.filter((s) => s.name === 'chat qwen3:4b' && s.parentSpanId === answer.spanId).sort((a, b) => a.startMs - b.startMs)[0]!;
    const input = JSON.parse(String(firstChat.attributes['gen_ai.input.messages'])) as { role: string }[];
    expect(input.at(-1)).toMatchObject({ role: 'user' });
    expect(JSON.stringify(input)).toContain(CANARY.goal);
    expect(firstChat.attributes['gen_ai.system_instructions']).toBeDefined();
  }, 60_000);
});
