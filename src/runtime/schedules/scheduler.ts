// The scheduler of a host: finds the slots that came, applies catch-up and overlap policies and keeps the ledger;
// the slots it may start it claims and runs (SlotRunner), or — on a team database with workers up — leaves to the
// workers, which claim them. Time comes from a Clock, so tests drive it by hand.
import os from 'node:os';
import type { ScheduleRunEvent } from '../../common/index.ts';
import { errorMessage } from '../base/index.ts';
import type { ScheduleConfig } from '../config/index.ts';
import { planSlots } from './catch-up.ts';
import { gaveUp, type NewSlot, type ScheduleLedger, type ScheduleState, type SlotRecord, type SlotTrigger } from './ledger.ts';
import type { RunPort } from './port.ts';
import { SlotRunner, type SlotNotice } from './slot-runner.ts';
import { nextSlot, slotsBetween } from './timing.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface SchedulerOptions {
  ledger: ScheduleLedger;
  port: RunPort;
  /** The schedules of rein.yaml (the ledger adds those added from the CLI/UI). */
  configured: () => ScheduleConfig[];
  clock?: Clock;
  notify?: (event: Omit<ScheduleRunEvent, 'time'>) => void;
  /** A slot handled within this long after its time is on time (default 60 s). */
  graceMs?: number;
  /** Slots looked at per schedule and tick, at most (older ones are summarised as missed). */
  maxSlotsPerTick?: number;
  /** This process in the ledger (default `machine:pid`; a host's is stable across restarts: machine and data dir). */
  holder?: string;
  /** Told the id of every run it starts or resumes for a slot (the host keeps these out of its own resume list). */
  slotRun?: (runId: string) => void;
  /** How long a claim on a slot holds without renewal (default 30 s). */
  leaseMs?: number;
  /** On a shared ledger, slots are left to workers seen within this long (default 15 s). */
  workerPresenceMs?: number;
  /** How often slots run elsewhere (by workers) are looked at for their outcome (default 2 s). */
  watchMs?: number;
}

/** What a host does with a slot it started, after another process ended its run: report it. */
const ENDED: readonly string[] = ['finished', 'failed', 'stopped', 'missed'];

export class Scheduler {
  private readonly ledger: ScheduleLedger;
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly maxSlots: number;
  private readonly hostStartedAt: number;
  private readonly holder: string;
  private readonly leaseMs: number;
  private readonly runner: SlotRunner;
  private readonly finished = new Map<string, ((slot: SlotRecord) => void)[]>(); // slot id → waiters
  /** Slots left to workers: their last known status, to report changes. */
  private readonly watched = new Map<string, string>();
  private watcher: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  private readonly options: SchedulerOptions;

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.ledger = options.ledger;
    this.clock = options.clock ?? systemClock;
    this.graceMs = options.graceMs ?? 60_000;
    this.maxSlots = options.maxSlotsPerTick ?? 1000;
    this.hostStartedAt = this.clock.now();
    this.holder = options.holder ?? `${os.hostname()}:${process.pid}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.runner = new SlotRunner({
      ledger: this.ledger,
      port: options.port,
      holder: this.holder,
      leaseMs: this.leaseMs,
      now: () => this.clock.now(),
      notify: (notice) => this.emit(notice),
      ...(options.slotRun ? { slotRun: options.slotRun } : {}),
      ended: (slot, schedule) => {
        this.settle(slot);
        void this.admit(schedule, []).catch(() => undefined);
      },
    });
  }

  /** Every schedule: rein.yaml's first, then the added ones (a name in both: rein.yaml wins). */
  async schedules(): Promise<{ schedule: ScheduleConfig; source: 'config' | 'added' }[]> {
    const configured = this.options.configured();
    const names = new Set(configured.map((s) => s.name));
    const added = await this.ledger.added();
    return [...configured.map((schedule) => ({ schedule, source: 'config' as const })), ...added.filter((s) => !names.has(s.name)).map((schedule) => ({ schedule, source: 'added' as const }))];
  }

  async find(name: string): Promise<ScheduleConfig | undefined> {
    return (await this.schedules()).find((s) => s.schedule.name === name)?.schedule;
  }

  /**
   * Subscribes to run events and picks up what the previous host of this data dir left: queued slots start, started
   * runs resume from their checkpoints. On a team's ledger only the slots this host held are taken back (others'
   * are taken over when their holder's lease runs out).
   */
  async start(): Promise<void> {
    this.listen();
    if (!this.ledger.shared) {
      for (const slot of await this.ledger.open()) {
        if (slot.status === 'due' && !(await this.find(slot.schedule))) {
          await this.ledger.update(slot.id, { status: 'failed', reason: 'the schedule was removed before this slot ran', endedAt: this.clock.now() });
        }
      }
    }
    for (const slot of await this.ledger.adopt(this.holder, this.leaseMs, this.ledger.shared ? 'own' : 'all')) await this.recover(slot);
    await this.tick();
  }

  private async recover(slot: SlotRecord): Promise<void> {
    const schedule = await this.find(slot.schedule);
    const fail = (reason: string) => this.ledger.end(slot.id, this.holder, { status: 'failed', reason, endedAt: this.clock.now() });
    if (!schedule) await fail('the schedule was removed before this slot ran');
    else if (slot.attempts > 3) await fail(gaveUp(slot.attempts - 1));
    else await this.runner.run({ slot, takeover: true }, schedule);
  }

  /** Follows the runs it starts (approvals, ends); start() does this too. */
  listen(): void {
    this.runner.listen();
  }

  /** Handles everything due at the clock's now; serialised, so overlapping calls never double-start a slot. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.tickNow()).catch(() => undefined);
    return this.ticking;
  }

  private async tickNow(): Promise<void> {
    const now = this.clock.now();
    for (const { schedule } of await this.schedules()) {
      try {
        await this.advance(schedule, now);
      } catch (error) {
        await this.ledger.insert({ schedule: schedule.name, dueAt: now, status: 'failed', trigger: 'slot', reason: `the scheduler could not handle this schedule: ${errorMessage(error)}`, endedAt: now });
      }
    }
    await this.runner.expireApprovals(now);
  }

  /** Records the slots that came since the schedule was last looked at, under its lock, then admits them. */
  private async advance(schedule: ScheduleConfig, now: number): Promise<void> {
    let active = false;
    const created = await this.ledger.advance(schedule.name, (stored) => {
      const state: ScheduleState = stored ?? { name: schedule.name, anchor: now, lastSlot: now, paused: false };
      if (state.paused || !schedule.enabled) return { state: { ...state, lastSlot: Math.max(state.lastSlot, now) }, slots: [] }; // no catch-up for time spent paused
      active = true;
      const { slots, more } = slotsBetween(schedule, state.anchor, state.lastSlot, now, this.maxSlots);
      const plans = planSlots(schedule, slots, { now, graceMs: this.graceMs, hostStartedAt: this.hostStartedAt });
      const records: NewSlot[] = [];
      if (more) records.push({ schedule: schedule.name, dueAt: slots[0]!, status: 'missed', trigger: 'slot', reason: `more than ${this.maxSlots} slots went by: the older ones are not listed`, endedAt: now });
      for (const plan of plans) {
        if (plan.action === 'miss') records.push({ schedule: schedule.name, dueAt: plan.at, status: 'missed', trigger: 'slot', reason: plan.reason, endedAt: now });
        else records.push({ schedule: schedule.name, dueAt: plan.at, status: 'due', trigger: plan.trigger, definition: schedule, ...(plan.reason ? { reason: plan.reason } : {}) });
      }
      return { state: { ...state, lastSlot: Math.max(state.lastSlot, slots.at(-1) ?? now, now) }, slots: records };
    });
    if (!active) return;
    for (const record of created) if (record.status === 'missed') this.emit(notice(record, 'missed'));
    await this.admit(schedule, created.filter((r) => r.status === 'due'));
  }

  /** The slot of this schedule that runs now (here, or elsewhere under a live lease). */
  private async busyWith(name: string, open?: SlotRecord[]): Promise<SlotRecord | undefined> {
    const here = this.runner.runningOf(name);
    if (here) return here;
    const now = Date.now(); // leases are in real time, whatever the scheduler's clock says
    return (open ?? (await this.ledger.open(name))).find((s) => s.status === 'started' && (s.leaseUntil === undefined || s.leaseUntil >= now));
  }

  /** Applies the overlap policy to newly due slots, then starts the oldest queued one when nothing runs. */
  private async admit(schedule: ScheduleConfig, fresh: SlotRecord[]): Promise<void> {
    const open = await this.ledger.open(schedule.name);
    const busy = await this.busyWith(schedule.name, open);
    const queued = open.filter((s) => s.status === 'due');
    for (const slot of fresh) {
      const ahead = busy !== undefined || queued.some((q) => q.id !== slot.id && q.dueAt < slot.dueAt);
      // Catch-up runs of run_all always queue: they are one backlog, never parallel.
      if (ahead && schedule.overlap === 'skip' && slot.trigger === 'slot') {
        await this.miss(slot, busy ? `previous run still going (${busy.runId ?? busy.id})` : 'an earlier slot is still queued');
      }
    }
    if (schedule.overlap === 'queue') await this.boundQueue(schedule, busy !== undefined);
    if (busy) {
      // Run elsewhere (a worker or another host): the slots queued behind it are reported when they start and end.
      if (this.ledger.shared && !this.runner.runningOf(schedule.name)) for (const slot of fresh) this.watch(slot);
      return;
    }
    await this.launchNext(schedule);
  }

  private async miss(slot: SlotRecord, why: string): Promise<void> {
    if (await this.ledger.miss(slot.id, why, this.clock.now())) this.emit(notice({ ...slot, status: 'missed', reason: why }, 'missed'));
  }

  /** overlap: queue keeps at most max_queued slots waiting (oldest first); newer slots past that are missed, saying so. */
  private async boundQueue(schedule: ScheduleConfig, busy: boolean): Promise<void> {
    const due = (await this.ledger.open(schedule.name)).filter((s) => s.status === 'due');
    const room = schedule.max_queued + (busy ? 0 : 1); // not busy: the oldest starts now, it does not wait
    for (const slot of due.slice(room)) {
      if (slot.trigger !== 'slot') continue; // a run_all backlog is bounded by max_catch_up
      await this.miss(slot, `the queue is full: ${schedule.max_queued} run${schedule.max_queued === 1 ? '' : 's'} already wait for the one still going (overlap: queue, max_queued: ${schedule.max_queued})`);
    }
  }

  /**
   * Claims the schedule's next slot and runs it here — unless the ledger is a team's and workers are up: then the
   * workers claim it (the same claim, so exactly one of them gets it) and this host only reports what happens.
   */
  private async launchNext(schedule: ScheduleConfig): Promise<void> {
    if (this.ledger.shared && (await this.ledger.workers(this.options.workerPresenceMs ?? 15_000)).length) {
      for (const slot of await this.ledger.open(schedule.name)) this.watch(slot);
      return;
    }
    const claimed = await this.ledger.claim(this.holder, { leaseMs: this.leaseMs, schedule: schedule.name, at: this.clock.now() });
    if (claimed) await this.runner.run(claimed, claimed.definition ?? schedule);
  }

  /** Runs a schedule now; resolves with its ledger entry as recorded (due, started or missed). */
  async runNow(name: string): Promise<SlotRecord> {
    const schedule = await this.find(name);
    if (!schedule) throw new Error(`no schedule named "${name}"`);
    const busy = await this.busyWith(name);
    const now = this.clock.now();
    if (busy && schedule.overlap === 'skip') throw new Error(`schedule ${name} is running (${busy.runId ?? busy.id}); with overlap: skip a second run is refused`);
    const [slot] = await this.ledger.advance(name, (state) => ({
      state: state ?? { name, anchor: now, lastSlot: now, paused: false },
      slots: [{ schedule: name, dueAt: now, status: 'due', trigger: 'manual', reason: 'run now', definition: schedule }],
    }));
    await this.admit(schedule, []);
    return (await this.ledger.get(slot!.id))!;
  }

  /** Resolves when the slot has ended (finished, failed, stopped or missed), here or on a worker. */
  async whenEnded(slotId: string): Promise<SlotRecord> {
    const slot = await this.ledger.get(slotId);
    if (!slot) throw new Error(`no ledger entry ${slotId}`);
    if (ENDED.includes(slot.status)) return slot;
    if (!slot.runId || !this.runner.holds(slot.runId)) this.watch(slot);
    return new Promise((resolve) => this.finished.set(slotId, [...(this.finished.get(slotId) ?? []), resolve]));
  }

  private settle(slot: SlotRecord): void {
    for (const resolve of this.finished.get(slot.id) ?? []) resolve(slot);
    this.finished.delete(slot.id);
    this.watched.delete(slot.id);
  }

  /** Follows a slot another process runs (a worker): its start and end are reported as if it ran here. */
  private watch(slot: SlotRecord): void {
    if (!this.watched.has(slot.id)) this.watched.set(slot.id, slot.status);
    if (this.watcher) return;
    this.watcher = setInterval(() => void this.lookAtWatched().catch(() => undefined), this.options.watchMs ?? 2000);
    this.watcher.unref();
  }

  private async lookAtWatched(): Promise<void> {
    for (const [id, known] of [...this.watched]) {
      const slot = await this.ledger.get(id);
      if (!slot || (slot.runId && this.runner.holds(slot.runId))) {
        this.watched.delete(id); // gone, or this host took it over and follows it itself
        continue;
      }
      if (slot.status === known) continue;
      this.watched.set(id, slot.status);
      if (slot.status !== 'due') this.emit(notice(slot, slot.status));
      if (ENDED.includes(slot.status)) this.settle(slot);
    }
    if (!this.watched.size) {
      clearInterval(this.watcher);
      this.watcher = undefined;
    }
  }

  /** Before a tool call of a run: true unless it is a slot's run whose claim this process lost (then it is stopped). */
  fence(runId: string): Promise<boolean> {
    return this.runner.renew(runId);
  }

  /** When the next thing is due: the earliest next slot or approval deadline (epoch ms). */
  async nextWake(): Promise<number | undefined> {
    const now = this.clock.now();
    const times: number[] = [];
    for (const { schedule } of await this.schedules()) {
      const state = await this.ledger.state(schedule.name);
      if (!schedule.enabled || state?.paused) continue;
      const at = nextSlot(schedule, state?.anchor ?? now, state?.lastSlot ?? now);
      if (at !== undefined) times.push(at);
    }
    const deadline = this.runner.nextDeadline();
    if (deadline !== undefined) times.push(deadline);
    return times.length ? Math.min(...times) : undefined;
  }

  private emit(event: SlotNotice): void {
    this.options.notify?.({ type: 'schedule.run', ...event });
  }

  close(): void {
    this.runner.close();
    clearInterval(this.watcher);
    this.watcher = undefined;
  }
}

function notice(slot: SlotRecord, status: ScheduleRunEvent['status']): SlotNotice {
  return { schedule: slot.schedule, slotId: slot.id, status, ...(slot.runId ? { runId: slot.runId } : {}), ...(slot.reason ? { reason: slot.reason } : {}) };
}

export type { SlotTrigger };
export { goalOf } from './slot-runner.ts';
