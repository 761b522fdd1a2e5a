// The scheduler over a real runtime (scripted Ollama over HTTP), the real API and a real SQLite ledger; only time
// is controlled: a hand-driven clock decides which slots have come.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleRunEvent } from '../../../src/common/index.ts';
import { ScheduleLedger, Scheduler, apiRunPort, type Clock, type ReinConfig, type Runtime } from '../../../src/runtime/index.ts';
import { echoTool, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama, type ChatRequestBody, type ScriptedReply } from '../../support/scripted-ollama.ts';
import { startApi } from '../api/helpers.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 6, 0, 0); // 06:00 UTC

class HandClock implements Clock {
  at: number;
  constructor(at: number) {
    this.at = at;
  }
  now(): number {
    return this.at;
  }
}

function reply(request: ChatRequestBody): ScriptedReply {
  const goal = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const result = request.messages.findLast((m) => m.role === 'tool');
  if (goal.includes('write') && !result) return { content: '', toolCalls: [{ name: 'write_note', arguments: { text: 'nightly' } }] };
  if (result) return { content: `done: ${result.content}` };
  if (goal.includes('slow')) return { content: 'slow answer', delayMs: 1500 };
  return { content: `answer to ${goal}` };
}

describe('scheduler (controllable clock, real runtime and ledger)', () => {
  let ollama: ScriptedOllama;
  const open: { runtime: Runtime; ledger: ScheduleLedger; scheduler: Scheduler }[] = [];
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ replies: reply });
  });
  afterEach(async () => {
    for (const { runtime, ledger, scheduler } of open.splice(0)) {
      scheduler.close();
      await runtime.close();
      ledger.close();
    }
  });
  afterAll(async () => {
    await ollama.close();
  });

  const host = async (yaml: string, clock: HandClock, config?: ReinConfig) => {
    const cfg = config ?? testConfig(yaml, ollama.url);
    const { runtime, api } = await startApi(cfg, [echoTool('write_note', 'write')]);
    const ledger = new ScheduleLedger(cfg.dataDir);
    const events: Omit<ScheduleRunEvent, 'time'>[] = [];
    const scheduler = new Scheduler({ ledger, port: apiRunPort(api), configured: () => cfg.schedules, clock, notify: (e) => events.push(e) });
    open.push({ runtime, ledger, scheduler });
    return { runtime, api, ledger, scheduler, events, config: cfg };
  };
  const settle = async (ledger: ScheduleLedger) => {
    for (let i = 0; i < 400 && ledger.open().length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(ledger.open()).toEqual([]);
  };
  const statuses = (ledger: ScheduleLedger, name: string) => ledger.history(name, 100).reverse().map((s) => s.status);

  it('a due slot starts exactly one run; ticking again does not start it twice', async () => {
    const clock = new HandClock(T0);
    const { scheduler, ledger, events } = await host('schedules: [{ name: hourly, goal: say hi, every: 1h }]', clock);
    await scheduler.start();
    expect(ledger.history('hourly')).toEqual([]); // nothing before the schedule existed
    clock.at = T0 + 60 * MIN + 5_000;
    await scheduler.tick();
    await scheduler.tick();
    await settle(ledger);
    const [slot] = ledger.history('hourly');
    expect(ledger.history('hourly')).toHaveLength(1);
    expect(slot).toMatchObject({ status: 'finished', trigger: 'slot', dueAt: T0 + 60 * MIN });
    expect(slot!.runId).toMatch(/^run/);
    expect(events.map((e) => e.status)).toEqual(['started', 'finished']);
  });

  describe('a 3-hour gap while the host was down (cron every 30 minutes)', () => {
    const gap = async (policy: string) => {
      const clock = new HandClock(T0);
      const yaml = `schedules: [{ name: report, goal: write the report, cron: "*/30 * * * *", timezone: UTC, catch_up: ${policy}, max_catch_up: 4, approvals: deny }]`;
      const first = await host(yaml, clock);
      await first.scheduler.start();
      first.scheduler.close();
      clock.at = T0 + 3 * 60 * MIN + 10 * MIN; // down from 06:00 to 09:10: slots 06:30 … 09:00 were missed
      const second = await host('', clock, first.config); // a new host on the same data dir
      await second.scheduler.start();
      await settle(second.ledger);
      return second.ledger.history('report', 100).reverse();
    };

    it('skip: every slot is recorded missed with "host down", and nothing runs', async () => {
      const slots = await gap('skip');
      expect(slots.map((s) => s.status)).toEqual(Array(6).fill('missed'));
      expect(slots.map((s) => new Date(s.dueAt).toISOString().slice(11, 16))).toEqual(['06:30', '07:00', '07:30', '08:00', '08:30', '09:00']);
      for (const s of slots) expect(s.reason).toMatch(/^host down: .*catch_up: skip/);
    });

    it('run_once: one catch-up run for the latest slot, the others missed as covered', async () => {
      const slots = await gap('run_once');
      expect(slots.map((s) => s.status)).toEqual(['missed', 'missed', 'missed', 'missed', 'missed', 'finished']);
      expect(slots.at(-1)).toMatchObject({ trigger: 'catch_up', dueAt: T0 + 180 * MIN });
      expect(slots.at(-1)!.reason).toContain('one run for 6 missed slots');
      expect(slots[0]!.reason).toContain('covered by one catch-up run');
    });

    it('run_all: the newest max_catch_up slots run one after another, the older ones are missed for the limit', async () => {
      const slots = await gap('run_all');
      expect(slots.map((s) => s.status)).toEqual(['missed', 'missed', 'finished', 'finished', 'finished', 'finished']);
      expect(slots[0]!.reason).toContain('max_catch_up (4)');
      const runs = slots.filter((s) => s.status === 'finished');
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt!).toBeGreaterThanOrEqual(runs[i - 1]!.endedAt!); // never two at once
    });
  });

  it('a gap while the host ran (the machine slept) is recorded as asleep', async () => {
    const clock = new HandClock(T0);
    const { scheduler, ledger } = await host('schedules: [{ name: tick, goal: say hi, every: 10m, catch_up: skip }]', clock);
    await scheduler.start();
    clock.at = T0 + 35 * MIN;
    await scheduler.tick();
    expect(ledger.history('tick').map((s) => s.reason)).toEqual(Array(3).fill('asleep: not caught up (catch_up: skip)'));
  });

  it('overlap skip: a slot that comes while the previous run goes is missed with why; queue: it runs afterwards', async () => {
    for (const overlap of ['skip', 'queue'] as const) {
      const clock = new HandClock(T0);
      const { scheduler, ledger } = await host(`schedules: [{ name: slow, goal: a slow job, every: 1m, overlap: ${overlap} }]`, clock);
      await scheduler.start();
      clock.at = T0 + MIN;
      await scheduler.tick(); // starts the first run (the model answers after 1.5 s)
      clock.at = T0 + 2 * MIN;
      await scheduler.tick(); // the first run still goes
      const second = ledger.history('slow')[0]!;
      if (overlap === 'skip') expect(second).toMatchObject({ status: 'missed', reason: expect.stringContaining('previous run still going') });
      else expect(second.status).toBe('due');
      await settle(ledger);
      expect(statuses(ledger, 'slow')).toEqual(overlap === 'skip' ? ['finished', 'missed'] : ['finished', 'finished']);
    }
  });

  it('overlap queue is bounded: past max_queued waiting slots, a new slot is recorded missed saying the queue is full', async () => {
    const clock = new HandClock(T0);
    const { scheduler, ledger, events } = await host('schedules: [{ name: slow, goal: a slow job, every: 1m, overlap: queue, max_queued: 2 }]', clock);
    await scheduler.start();
    for (let minute = 1; minute <= 6; minute++) {
      clock.at = T0 + minute * MIN;
      await scheduler.tick(); // the first run (1.5 s) still goes while five more slots come
    }
    const waiting = ledger.history('slow', 100).reverse();
    expect(waiting.map((s) => s.status)).toEqual(['started', 'due', 'due', 'missed', 'missed', 'missed']);
    expect(waiting.at(-1)!.reason).toBe('the queue is full: 2 runs already wait for the one still going (overlap: queue, max_queued: 2)');
    expect(events.filter((e) => e.status === 'missed')).toHaveLength(3);
    await settle(ledger);
    expect(statuses(ledger, 'slow')).toEqual(['finished', 'finished', 'finished', 'missed', 'missed', 'missed']);
  });

  it('an "allow once" given to a stopped run\'s pending approval does not answer the identical call of an approvals: deny schedule', async () => {
    const clock = new HandClock(T0);
    const { scheduler, ledger, api, runtime } = await host('schedules: [{ name: denied, goal: write a note, every: 1h, approvals: deny }]', clock);
    await scheduler.start();
    const { runId } = await api.runs.start({ goal: 'write a note' }); // the same call: write_note {text: nightly}
    for (let i = 0; i < 200 && (await api.approvals.pending()).length < 1; i++) await new Promise((r) => setTimeout(r, 25));
    const [pending] = await api.approvals.pending();
    await api.runs.abort(runId);
    expect((await runtime.getRun(runId)!.result).status).toBe('stopped');
    expect(await api.approvals.pending()).toEqual([]);
    await api.approvals.decide(pending!.id, { action: 'allow', scope: 'once' }); // too late: the run ended
    expect((await api.approvals.history(5)).find((a) => a.id === pending!.id)).toMatchObject({ decision: { action: 'deny', reason: 'its run ended (stopped) before an answer' }, decidedBy: 'runtime' });

    clock.at = T0 + 60 * MIN;
    await scheduler.tick();
    await settle(ledger);
    const slot = ledger.history('denied')[0]!;
    expect(slot.reason).toContain('denied at once (approvals: deny)');
    const events = await api.runs.events(slot.runId!);
    expect(events.filter((e) => e.type === 'approval.resolved')).toMatchObject([{ decision: 'deny' }]);
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ ok: false });
  });

  it('approvals at night: "deny" denies at once and the ledger says so; "wait" waits, then denies after approval_timeout_s', async () => {
    const clock = new HandClock(T0);
    const yaml = `schedules:
  - { name: denied, goal: write a note, every: 1h, approvals: deny }
  - { name: waiting, goal: write a note too, every: 1h, approvals: wait, approval_timeout_s: 600 }`;
    const { scheduler, ledger, events, api } = await host(yaml, clock);
    await scheduler.start();
    clock.at = T0 + 60 * MIN;
    await scheduler.tick();
    for (let i = 0; i < 200 && (await api.approvals.pending()).length < 1; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 200));
    const denied = ledger.history('denied')[0]!;
    expect(['started', 'finished']).toContain(denied.status);
    expect(denied.reason).toContain('denied at once (approvals: deny)');
    expect((await api.approvals.pending()).map((a) => a.tool)).toEqual(['write_note']); // the waiting one
    expect(ledger.history('waiting')[0]).toMatchObject({ status: 'started', reason: expect.stringContaining('waiting for approval of write_note') });
    expect(events.some((e) => e.schedule === 'waiting' && e.status === 'waiting_approval')).toBe(true);

    clock.at = T0 + 71 * MIN; // past the 10-minute bound
    await scheduler.tick();
    await settle(ledger);
    expect(ledger.history('waiting')[0]!.reason).toContain('no decision within approval_timeout_s (600s): denied');
    const history = await api.approvals.history();
    expect(history.map((a) => a.decision.action)).toEqual(['deny', 'deny']);
  });

  it('bad input at trigger time: a missing skill and an unreachable model are failed entries with the reason', async () => {
    const clock = new HandClock(T0);
    const yaml = `schedules:
  - { name: ghost, skill: no_such_skill, every: 1h }
  - { name: offline, goal: say hi, every: 1h, model: "missing-model:1b" }`;
    const { scheduler, ledger } = await host(yaml, clock);
    await scheduler.start();
    clock.at = T0 + 60 * MIN;
    await scheduler.tick();
    await settle(ledger);
    expect(ledger.history('ghost')[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('no_such_skill') });
    expect(ledger.history('offline')[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/missing-model:1b/) });
  });

  it('run now runs a schedule at once; with overlap skip a second one while it runs is refused', async () => {
    const clock = new HandClock(T0);
    const { scheduler, ledger } = await host('schedules: [{ name: manual, goal: a slow job, cron: "0 7 * * 1-5" }]', clock);
    await scheduler.start();
    const slot = await scheduler.runNow('manual');
    expect(slot).toMatchObject({ status: 'started', trigger: 'manual' });
    await expect(scheduler.runNow('manual')).rejects.toThrow(/overlap: skip/);
    expect((await scheduler.whenEnded(slot.id)).status).toBe('finished');
    expect(ledger.history('manual')).toHaveLength(1);
  });
});
