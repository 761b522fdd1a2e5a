// A team database that is down when the host starts, seen in the browser: one banner on every view says which
// capabilities did not start, why, and that runs are refused meanwhile; Send is paused, and a run started anyway is
// refused with that reason.
import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/index.ts';
import { testConfig } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { e2eMissing, eventually } from './browser.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = 'd'.repeat(64);

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => { resolve(port); });
    });
  });
}

describe.skipIf(e2eMissing)('capabilities that did not start (Chromium)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: () => ({ content: 'should never be asked' }) });
    const port = await closedPort();
    runtime = new Runtime({ config: testConfig(`memory:\n  episodic: "postgres://rein@127.0.0.1:${port}/rein"\n`, ollama.url), trace: false });
    await runtime.start();
    ui = await openServedUi(runtime, TOKEN);
    ({ page } = ui);
  }, 60_000);
  afterAll(async () => {
    await ui?.close();
    await runtime?.close();
    await ollama?.close();
  });

  it('says which did not start and why, on every view; sending is paused and a run is refused with the reason', async () => {
    const banner = page.getByRole('alert', { name: 'Capabilities that did not start' });
    await eventually(() => banner.textContent()).toMatch(/^The audit log, the policy, .*memory did not start: the database postgres:\/\/rein@127\.0\.0\.1:\d+\/rein cannot be used: nothing accepts connections at 127\.0\.0\.1:\d+ .*Runs are refused until this is fixed and Rein restarted/);
    await ui.shot('start-problems');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Settings' }).click();
    expect(await banner.isVisible()).toBe(true);
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('hello');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Sending paused').textContent()).toContain('Rein runs nothing without its audit log and policy');
    await ui.shot('start-problems-chat');
    // a run started anyway (another client, the CLI) is refused with the reason, and the model is never asked
    const result = await runtime.startRun('hello').result;
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^safeguards: Rein runs nothing without its audit log and policy/) as unknown });
    expect(ollama.chatRequests).toHaveLength(0);
  });
});
