// Two hosts on one team database (PostgreSQL): each has its own runtime and scheduler, both tick at the same moments
// over the same schedules, and every slot runs exactly once — decided under the schedule's lock, claimed by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler, apiRunPort, openScheduleLedger, type Clock, type ScheduleLedger } from '../../../src/runtime/index.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../support/postgres.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { startApi, type ApiHarness } from '../api/helpers.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);

describe.skipIf(postgresUnavailable)('two hosts sharing a schedule ledger on PostgreSQL', () => {
  let server: TestPostgres;
  let ollama: ScriptedOllama;
  const previousKey = process.env.REIN_AUDIT_KEY;
  beforeAll(async () => {
    process.env.REIN_AUDIT_KEY = 'ab'.repeat(32); // one audit chain for both hosts
    server = await startTestPostgres();
    ollama = await ScriptedOllama.start({ replies: (body) => ({ content: `done: ${body.messages.find((m) => m.role === 'user')?.content ?? ''}`, delayMs: 50 }) });
  }, 60_000);
  afterAll(async () => {
    await ollama?.close();
    await server?.stop();
    if (previousKey === undefined) delete process.env.REIN_AUDIT_KEY;
    else process.env.REIN_AUDIT_KEY = previousKey;
  }, 60_000);

  it('every slot of every schedule runs once, whichever host claims it', async () => {
    const database = await server.createDatabase();
    const clock: Clock & { at: number } = { at: T0, now: () => clock.at };
    const yaml = `memory: { episodic: "${database}" }
schedules:
  - { name: often, goal: count the minutes, every: 1m }
  - { name: also, goal: count again, every: 1m, overlap: queue }`;
    const hosts: { harness: ApiHarness; ledger: ScheduleLedger; scheduler: Scheduler }[] = [];
    for (const name of ['host A', 'host B']) {
      const config = testConfig(yaml, ollama.url);
      const harness = await startApi(config, [echoTool()]);
      const ledger = await openScheduleLedger(config);
      const scheduler = new Scheduler({ ledger, port: apiRunPort(harness.api), configured: () => config.schedules, clock, holder: name });
      hosts.push({ harness, ledger, scheduler });
    }
    try {
      await Promise.all(hosts.map((h) => h.scheduler.start()));
      const ledger = hosts[0]!.ledger;
      for (let minute = 1; minute <= 6; minute++) {
        clock.at = T0 + minute * MIN + 1000;
        await Promise.all(hosts.flatMap((h) => [h.scheduler.tick(), h.scheduler.tick()]));
        for (let i = 0; i < 200 && (await ledger.open()).length; i++) await new Promise((r) => setTimeout(r, 25));
      }
      const slots = await ledger.history(undefined, 100);
      for (const name of ['often', 'also']) {
        const mine = slots.filter((s) => s.schedule === name);
        expect(mine.map((s) => s.status)).toEqual(Array(6).fill('finished'));
        expect(new Set(mine.map((s) => s.dueAt)).size).toBe(6);
        expect(new Set(mine.map((s) => s.runId)).size).toBe(6);
      }
      // One run per slot in the shared sessions, whichever host ran it.
      const sessions = await hosts[1]!.harness.api.runs.list();
      expect(sessions.filter((s) => s.goal === 'count the minutes')).toHaveLength(6);
      expect(sessions.filter((s) => s.goal === 'count again')).toHaveLength(6);
      expect(new Set(slots.map((s) => s.holder)).size).toBeGreaterThanOrEqual(1);
    } finally {
      for (const { harness, ledger, scheduler } of hosts) {
        scheduler.close();
        await harness.runtime.close();
        await ledger.close();
      }
    }
  }, 120_000);
});
