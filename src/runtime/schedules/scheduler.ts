// The scheduler of a host: finds the slots that came, applies catch-up and overlap policies, starts runs through the
// API, follows them to the end and keeps the ledger. Time comes from a Clock, so tests drive it by hand.
import type { RunEvent, ScheduleRunEvent } from '../../common/index.ts';
import { errorMessage } from '../base/index.ts';
import type { ScheduleConfig } from '../config/index.ts';
import { planSlots } from './catch-up.ts';
import type { ScheduleLedger, SlotRecord, SlotTrigger } from './ledger.ts';
import type { RunPort } from './port.ts';
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
}

type Notice = Omit<ScheduleRunEvent, 'time' | 'type'>;

interface Tracked {
  slot: SlotRecord;
  schedule: ScheduleConfig;
  /** Pending approval id → when the unattended wait ends (epoch ms). */
  approvals: Map<string, number>;
}

export class Scheduler {
  private readonly ledger: ScheduleLedger;
  private readonly port: RunPort;
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly maxSlots: number;
  private readonly hostStartedAt: number;
  private readonly running = new Map<string, Tracked>(); // by runId
  private readonly finished = new Map<string, (slot: SlotRecord) => void>(); // slot id → waiter
  private unsubscribe: (() => void) | undefined;
  private ticking: Promise<void> = Promise.resolve();

  private readonly options: SchedulerOptions;

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.ledger = options.ledger;
    this.port = options.port;
    this.clock = options.clock ?? systemClock;
    this.graceMs = options.graceMs ?? 60_000;
    this.maxSlots = options.maxSlotsPerTick ?? 1000;
    this.hostStartedAt = this.clock.now();
  }

  /** Every schedule: rein.yaml's first, then the added ones (a name in both: rein.yaml wins). */
  schedules(): { schedule: ScheduleConfig; source: 'config' | 'added' }[] {
    const configured = this.options.configured();
    const names = new Set(configured.map((s) => s.name));
    return [...configured.map((schedule) => ({ schedule, source: 'config' as const })), ...this.ledger.added().filter((s) => !names.has(s.name)).map((schedule) => ({ schedule, source: 'added' as const }))];
  }

  find(name: string): ScheduleConfig | undefined {
    return this.schedules().find((s) => s.schedule.name === name)?.schedule;
  }

  /** Subscribes to run events and picks up what a previous host left: queued slots start, started runs resume. */
  async start(): Promise<void> {
    this.listen();
    for (const slot of this.ledger.open()) {
      const schedule = this.find(slot.schedule);
      if (!schedule) {
        this.ledger.update(slot.id, { status: 'failed', reason: 'the schedule was removed before this slot ran', endedAt: this.clock.now() });
        continue;
      }
      if (slot.status === 'started') await this.recover(slot, schedule);
    }
    await this.tick();
  }

  /** Follows the runs it starts (approvals, ends); start() does this too. */
  listen(): void {
    this.unsubscribe ??= this.port.onRunEvent((event) => this.onRunEvent(event));
  }

  private async recover(slot: SlotRecord, schedule: ScheduleConfig): Promise<void> {
    const runId = slot.runId;
    if (!runId) {
      this.ledger.update(slot.id, { status: 'due', reason: 'the host stopped before the run started; starting it again' });
      return;
    }
    try {
      const run = await this.port.state(runId);
      const status = run?.status;
      if (status === 'completed' || status === 'failed' || status === 'stopped') {
        this.end(slot, status === 'completed' ? 'finished' : status, run?.reason ?? 'ended while the scheduler was not running', schedule);
        return;
      }
      if (status !== 'running') await this.port.resume(runId); // the host may have resumed it already
      this.ledger.update(slot.id, { reason: 'resumed from its checkpoint after the host restarted' });
      this.running.set(runId, { slot: this.ledger.get(slot.id)!, schedule, approvals: new Map() });
    } catch (error) {
      this.end(slot, 'failed', `the host stopped during the run and it could not be resumed: ${errorMessage(error)}`);
    }
  }

  /** Handles everything due at the clock's now; serialised, so overlapping calls never double-start a slot. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.tickNow()).catch(() => undefined);
    return this.ticking;
  }

  private async tickNow(): Promise<void> {
    const now = this.clock.now();
    for (const { schedule } of this.schedules()) {
      try {
        await this.advance(schedule, now);
      } catch (error) {
        this.ledger.insert({ schedule: schedule.name, dueAt: now, status: 'failed', trigger: 'slot', reason: `the scheduler could not handle this schedule: ${errorMessage(error)}`, endedAt: now });
      }
    }
    await this.expireApprovals(now);
  }

  private async advance(schedule: ScheduleConfig, now: number): Promise<void> {
    const state = this.ledger.state(schedule.name) ?? { name: schedule.name, anchor: now, lastSlot: now, paused: false };
    if (state.paused || !schedule.enabled) {
      this.ledger.saveState({ ...state, lastSlot: now }); // no catch-up for time spent paused or disabled
      return;
    }
    const { slots, more } = slotsBetween(schedule, state.anchor, state.lastSlot, now, this.maxSlots);
    const plans = planSlots(schedule, slots, { now, graceMs: this.graceMs, hostStartedAt: this.hostStartedAt });
    const records: Omit<SlotRecord, 'id'>[] = [];
    if (more) records.push({ schedule: schedule.name, dueAt: slots[0]!, status: 'missed', trigger: 'slot', reason: `more than ${this.maxSlots} slots went by: the older ones are not listed`, endedAt: now });
    for (const plan of plans) {
      if (plan.action === 'miss') records.push({ schedule: schedule.name, dueAt: plan.at, status: 'missed', trigger: 'slot', reason: plan.reason, endedAt: now });
      else records.push({ schedule: schedule.name, dueAt: plan.at, status: 'due', trigger: plan.trigger, ...(plan.reason ? { reason: plan.reason } : {}) });
    }
    const created = this.ledger.record({ ...state, lastSlot: Math.max(state.lastSlot, slots.at(-1) ?? now, now) }, records);
    for (const record of created) if (record.status === 'missed') this.emit(record, 'missed');
    await this.admit(schedule, created.filter((r) => r.status === 'due'));
  }

  /** Applies the overlap policy to newly due slots, then starts the oldest queued one when nothing runs. */
  private async admit(schedule: ScheduleConfig, fresh: SlotRecord[]): Promise<void> {
    const busy = this.runningOf(schedule.name);
    let queued = this.ledger.open(schedule.name).filter((s) => s.status === 'due');
    for (const slot of fresh) {
      const ahead = busy !== undefined || queued.some((q) => q.id !== slot.id && q.dueAt < slot.dueAt);
      // Catch-up runs of run_all always queue: they are one backlog, never parallel.
      if (ahead && schedule.overlap === 'skip' && slot.trigger === 'slot') {
        const why = busy ? `previous run still going (${busy.slot.runId ?? busy.slot.id})` : 'an earlier slot is still queued';
        this.ledger.update(slot.id, { status: 'missed', reason: why, endedAt: this.clock.now() });
        this.emit({ ...slot, status: 'missed', reason: why }, 'missed');
      }
    }
    if (schedule.overlap === 'queue') this.boundQueue(schedule, busy !== undefined);
    if (busy) return;
    queued = this.ledger.open(schedule.name).filter((s) => s.status === 'due');
    const next = queued[0];
    if (next) await this.launch(next, schedule);
  }

  /** overlap: queue keeps at most max_queued slots waiting (oldest first); newer slots past that are missed, saying so. */
  private boundQueue(schedule: ScheduleConfig, busy: boolean): void {
    const due = this.ledger.open(schedule.name).filter((s) => s.status === 'due');
    const room = schedule.max_queued + (busy ? 0 : 1); // not busy: the oldest starts now, it does not wait
    for (const slot of due.slice(room)) {
      if (slot.trigger !== 'slot') continue; // a run_all backlog is bounded by max_catch_up
      const why = `the queue is full: ${schedule.max_queued} run${schedule.max_queued === 1 ? '' : 's'} already wait for the one still going (overlap: queue, max_queued: ${schedule.max_queued})`;
      this.ledger.update(slot.id, { status: 'missed', reason: why, endedAt: this.clock.now() });
      this.emit({ ...slot, status: 'missed', reason: why }, 'missed');
    }
  }

  private runningOf(name: string): Tracked | undefined {
    for (const tracked of this.running.values()) if (tracked.schedule.name === name) return tracked;
    return undefined;
  }

  private async launch(slot: SlotRecord, schedule: ScheduleConfig): Promise<void> {
    const now = this.clock.now();
    if (schedule.skill) {
      const problem = await this.port.skillProblem(schedule.skill);
      if (problem) return this.end(slot, 'failed', problem, schedule);
    }
    try {
      const { runId } = await this.port.start({ goal: goalOf(schedule), ...(schedule.model ? { model: schedule.model } : {}) });
      this.ledger.update(slot.id, { status: 'started', runId, startedAt: now });
      const started = this.ledger.get(slot.id)!;
      this.running.set(runId, { slot: started, schedule, approvals: new Map() });
      this.emit(started, 'started');
    } catch (error) {
      this.end(slot, 'failed', `the run could not start: ${errorMessage(error)}`, schedule);
    }
  }

  private end(slot: SlotRecord, status: 'finished' | 'failed' | 'stopped', reason: string | undefined, schedule?: ScheduleConfig): void {
    this.ledger.update(slot.id, { status, ...(reason ? { reason } : {}), endedAt: this.clock.now() });
    const ended = this.ledger.get(slot.id)!;
    this.emit(ended, status);
    this.finished.get(slot.id)?.(ended);
    this.finished.delete(slot.id);
    if (schedule) void this.admit(schedule, []).catch(() => undefined);
  }

  private onRunEvent(event: RunEvent): void {
    const tracked = this.running.get(event.runId);
    if (!tracked) return;
    if (event.type === 'approval.requested') {
      if (tracked.schedule.approvals === 'deny') {
        void this.port.denyApproval(event.id, `unattended run of schedule ${tracked.schedule.name} (approvals: deny)`).catch(() => undefined);
        this.note(tracked, `approval for ${event.tool} denied at once (approvals: deny)`);
      } else {
        tracked.approvals.set(event.id, this.clock.now() + tracked.schedule.approval_timeout_s * 1000);
        this.note(tracked, `waiting for approval of ${event.tool}`);
        this.emit(tracked.slot, 'waiting_approval', `approval needed: ${event.tool} (${event.reason})`);
      }
    } else if (event.type === 'approval.resolved') {
      if (tracked.approvals.delete(event.id)) this.note(tracked, `approval ${event.decision === 'deny' ? 'denied' : 'granted'} by ${event.by}`);
    } else if (event.type === 'run.finished') {
      this.running.delete(event.runId);
      const status = event.status === 'completed' ? 'finished' : event.status;
      this.end(tracked.slot, status, event.reason ?? this.ledger.get(tracked.slot.id)?.reason, tracked.schedule);
    }
  }

  /** Records what happened to a running slot's approvals in its reason, so the ledger says waited or denied. */
  private note(tracked: Tracked, text: string): void {
    const reason = [this.ledger.get(tracked.slot.id)?.reason, text].filter(Boolean).join('; ');
    this.ledger.update(tracked.slot.id, { reason });
  }

  private async expireApprovals(now: number): Promise<void> {
    for (const tracked of this.running.values()) {
      for (const [id, deadline] of tracked.approvals) {
        if (deadline > now) continue;
        tracked.approvals.delete(id);
        this.note(tracked, `no decision within approval_timeout_s (${tracked.schedule.approval_timeout_s}s): denied`);
        await this.port.denyApproval(id, `no decision within ${tracked.schedule.approval_timeout_s}s for the unattended run of schedule ${tracked.schedule.name}`).catch(() => undefined);
      }
    }
  }

  /** Runs a schedule now; resolves with its ledger entry as recorded (due, started or missed). */
  async runNow(name: string): Promise<SlotRecord> {
    const schedule = this.find(name);
    if (!schedule) throw new Error(`no schedule named "${name}"`);
    const busy = this.runningOf(name);
    const now = this.clock.now();
    if (busy && schedule.overlap === 'skip') throw new Error(`schedule ${name} is running (${busy.slot.runId}); with overlap: skip a second run is refused`);
    const [slot] = this.ledger.record(this.ledger.state(name) ?? { name, anchor: now, lastSlot: now, paused: false }, [{ schedule: name, dueAt: now, status: 'due', trigger: 'manual', reason: 'run now' }]);
    await this.admit(schedule, []);
    return this.ledger.get(slot!.id)!;
  }

  /** Resolves when the slot has ended (finished, failed, stopped or missed). */
  whenEnded(slotId: string): Promise<SlotRecord> {
    const slot = this.ledger.get(slotId);
    if (slot && !['due', 'started'].includes(slot.status)) return Promise.resolve(slot);
    return new Promise((resolve) => this.finished.set(slotId, resolve));
  }

  /** When the next thing is due: the earliest next slot or approval deadline (epoch ms). */
  nextWake(): number | undefined {
    const now = this.clock.now();
    const times: number[] = [];
    for (const { schedule } of this.schedules()) {
      const state = this.ledger.state(schedule.name);
      if (!schedule.enabled || state?.paused) continue;
      const at = nextSlot(schedule, state?.anchor ?? now, state?.lastSlot ?? now);
      if (at !== undefined) times.push(at);
    }
    for (const tracked of this.running.values()) times.push(...tracked.approvals.values());
    return times.length ? Math.min(...times) : undefined;
  }

  runningRunId(name: string): string | undefined {
    return this.runningOf(name)?.slot.runId;
  }

  private emit(slot: SlotRecord, status: ScheduleRunEvent['status'], reason = slot.reason): void {
    const notice: Notice = { schedule: slot.schedule, slotId: slot.id, status, ...(slot.runId ? { runId: slot.runId } : {}), ...(reason ? { reason } : {}) };
    this.options.notify?.({ type: 'schedule.run', ...notice });
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

/** The goal a schedule's run gets: its own, or a request to run its skill with the input. */
export function goalOf(schedule: ScheduleConfig): string {
  if (schedule.goal) return schedule.goal;
  return `Run the skill "${schedule.skill}" with run_skill and this input: ${JSON.stringify(schedule.input ?? {})}. Report its result.`;
}

export type { SlotTrigger };
