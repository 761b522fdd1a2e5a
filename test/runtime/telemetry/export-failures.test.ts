// Export never breaks a run: a collector that is down gives one notice (not one per span) and counted failures; one
// that hangs fills the bounded queue, and what does not fit is dropped and counted — runs complete either way, and
// closing the runtime does not wait for the collector. The counts are what `rein doctor` reports.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../../src/common/index.ts';
import { Runtime, readTelemetryStatus } from '../../../src/runtime/index.ts';
import { OtlpReceiver } from '../../support/otlp-receiver.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';

const telemetry = (endpoint: string, timeout: number) => `telemetry: { enabled: true, otlp: { endpoint: "${endpoint}", timeout_s: ${timeout} } }\n`;

describe('telemetry: a collector that is down or hangs', () => {
  let ollama: ScriptedOllama;
  let receiver: OtlpReceiver | undefined;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });
  afterAll(() => ollama.close());

  it('down: runs complete, one notice for the outage, failures counted', async () => {
    const gone = await OtlpReceiver.start();
    const endpoint = gone.url;
    await gone.close(); // nothing listens there now: connections are refused
    ollama.script((_request, i) => (i % 2 === 0 ? { toolCalls: [{ name: 'echo', arguments: { text: `t${i}` } }] } : { content: 'done' }));
    const config = testConfig(telemetry(endpoint, 0.5), ollama.url);
    const runtime = new Runtime({ config, tools: [echoTool()] });
    const notices: SystemEvent[] = [];
    runtime.onSystemEvent((event) => event.type === 'system.notice' && event.source === 'telemetry' && notices.push(event));
    for (let i = 0; i < 3; i++) {
      expect((await runtime.startRun(`task ${i}`).result).status).toBe('completed');
      await waitUntil(() => notices.length > 0);
    }
    const closing = performance.now();
    await runtime.close();
    expect(performance.now() - closing).toBeLessThan(5000); // bounded (2 s cap), not per span or per retry
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(new RegExp(`^cannot export to ${endpoint}/v1/traces: .*ECONNREFUSED.*Runs go on; spans and metrics are dropped until it answers \\(counted in rein doctor\\)$`)) });
    const [status] = readTelemetryStatus(config.dataDir);
    expect(status).toMatchObject({ closed: true, spans: { exported: 0, dropped: 0 } });
    expect(status!.spans.failed).toBeGreaterThanOrEqual(3 * 4); // 3 runs × (invoke_agent, 2 chats, 1 tool)
    expect(status!.lastError).toMatch(/ECONNREFUSED/);
  }, 60_000);

  it('back up: one notice that it answers again; a working collector says nothing', async () => {
    receiver = await OtlpReceiver.start({ status: 503 });
    ollama.script(() => ({ content: 'done' }));
    const config = testConfig(telemetry(receiver.url, 0.5), ollama.url);
    const runtime = new Runtime({ config, tools: [echoTool()] });
    const notices: string[] = [];
    runtime.onSystemEvent((event) => event.type === 'system.notice' && event.source === 'telemetry' && notices.push(`${event.level}: ${event.message}`));
    await runtime.startRun('first').result;
    await waitUntil(() => notices.length === 1);
    expect(notices[0]).toMatch(/^warn: cannot export to .*\/v1\/traces: the collector kept answering "busy" \(HTTP 429, 502, 503 or 504\)/);
    receiver.answerWith({});
    await runtime.startRun('second').result;
    await waitUntil(() => notices.length === 2);
    await runtime.startRun('third').result;
    await runtime.close();
    expect(notices[1]).toMatch(/^info: the collector answers again \(\d+ items? lost meanwhile, see rein doctor\)$/);
    expect(notices).toHaveLength(2);
    expect(receiver.spans().filter((s) => s.name === 'invoke_agent rein')).toHaveLength(3); // the first one was sent too, and refused
  }, 60_000);

  it('hanging: the bounded queue drops what does not fit, counts it, and closing does not wait for the collector', async () => {
    receiver = await OtlpReceiver.start({ hang: true });
    // 16 calls per turn for 220 turns: ~3,700 spans, well over the queue (2,048) plus the batch in flight (≤ 512).
    ollama.script((_request, i) => (i < 220 ? { toolCalls: Array.from({ length: 16 }, (_, k) => ({ name: 'echo', arguments: { text: `${i}-${k}` } })) } : { content: 'done' }));
    const config = testConfig(`${telemetry(receiver.url, 30)}runtime: { max_steps: 300, max_tool_calls_per_turn: 16, loop_window: 2 }\nmemory: { verbatim_turns: 1 }\n`, ollama.url);
    const runtime = new Runtime({ config, tools: [echoTool()] });
    const result = await runtime.startRun('many calls').result;
    expect(result.status).toBe('completed');
    expect(result.steps).toBeGreaterThan(180); // (a compaction's summary takes a scripted reply too)
    const closing = performance.now();
    await runtime.close();
    expect(performance.now() - closing).toBeLessThan(5000);
    const [status] = readTelemetryStatus(config.dataDir);
    expect(status!.spans.exported).toBe(0);
    expect(status!.spans.dropped).toBeGreaterThan(0);
    expect(status!.spans.dropped).toBeLessThanOrEqual(result.steps * 17 + 50 - 2048);
    expect(receiver.requests.length).toBeGreaterThan(0); // it was tried: the collector got the first batch and never answered
  }, 120_000);
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
