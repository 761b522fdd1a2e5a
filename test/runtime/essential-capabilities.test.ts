// A team database that is down at start: one notice naming every capability it stopped and why (no four near-copies),
// and no run goes ahead without its audit log and policy — the model is never asked, no tool runs. The real default
// capabilities and the real pg client, against a loopback port nothing listens on.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../src/common/index.ts';
import { Runtime } from '../../src/runtime/index.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { echoTool, testConfig } from '../support/fixtures.ts';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => { resolve(port); });
    });
  });
}

describe('essential capabilities', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('a team database that is down: one notice, and runs are refused rather than run unaudited', async () => {
    const port = await closedPort();
    const url = `postgres://rein@127.0.0.1:${port}/rein`;
    const config = testConfig(`memory:\n  episodic: "${url}"\nknowledge:\n  enabled: true\n`, ollama.url);
    const runtime = new Runtime({ config, tools: [echoTool()], trace: false });
    const notices: SystemEvent[] = [];
    runtime.onSystemEvent((event) => notices.push(event));
    ollama.script([{ toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] }, { content: 'done' }]);
    try {
      const result = await runtime.startRun('say hi').result;
      const failures = notices.filter((n) => n.type === 'system.notice' && n.level === 'error') as Extract<SystemEvent, { type: 'system.notice' }>[];
      expect(failures).toHaveLength(1);
      expect(failures[0]!.source).toBe('audit, policy, knowledge, memory');
      expect(failures[0]!.message).toMatch(/^failed to start: the database postgres:\/\/rein@127\.0\.0\.1:\d+\/rein cannot be used: nothing accepts connections at 127\.0\.0\.1:\d+ — check its URL \(memory\.episodic/);
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(/^safeguards: Rein runs nothing without its audit log and policy, and these did not start: audit and policy \(the database .* cannot be used: nothing accepts connections at [^;]*\)\. Fix that, then restart Rein$/);
      expect(ollama.chatRequests).toHaveLength(0); // the model was never asked, no tool ran
    } finally {
      await runtime.close();
    }
  });
});
