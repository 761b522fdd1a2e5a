// Runs claimed slots and follows their runs to the end: starts the run (or, for a slot taken over from a holder that
// stopped, resumes it from its checkpoint), renews the claim's lease, applies the schedule's unattended approvals
// (deny at once, or deny after approval_timeout_s) and records the outcome. Hosts and workers both use it.
import type { RunEvent, ScheduleRunEvent } from '../../common/index.ts';
import { errorMessage } from '../base/index.ts';
import type { ScheduleConfig } from '../config/index.ts';
import type { ClaimedSlot, ScheduleLedger, SlotRecord } from './ledger.ts';
import type { RunPort } from './port.ts';

export type SlotNotice = Omit<ScheduleRunEvent, 'time' | 'type'>;

export interface SlotRunnerOptions {
  ledger: ScheduleLedger;
  port: RunPort;
  /** This process in the ledger (`machine:pid`). */
  holder: string;
  leaseMs: number;
  now: () => number;
  notify?: (notice: SlotNotice) => void;
  /** Told the id of every run started or resumed for a slot. */
  slotRun?: (runId: string) => void;
  /** Called when a slot's run has ended here (or was lost to another holder). */
  ended?: (slot: SlotRecord, schedule: ScheduleConfig) => void;
}

interface Tracked {
  slot: SlotRecord;
  schedule: ScheduleConfig;
  /** Pending approval id → when the unattended wait ends (epoch ms). */
  approvals: Map<string, number>;
}

export class SlotRunner {
  private readonly options: SlotRunnerOptions;
  private readonly running = new Map<string, Tracked>(); // by runId
  private unsubscribe: (() => void) | undefined;
  private renewer: NodeJS.Timeout | undefined;
  /** Run events are handled one after another, as they came. */
  private handling: Promise<void> = Promise.resolve();

  constructor(options: SlotRunnerOptions) {
    this.options = options;
  }

  /** Follows run events (approvals, ends) and renews the leases of the slots it runs. */
  listen(): void {
    this.unsubscribe ??= this.options.port.onRunEvent((event) => {
      if (this.running.has(event.runId)) this.handling = this.handling.then(() => this.onRunEvent(event)).catch(() => undefined);
    });
    if (!this.renewer) {
      this.renewer = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
      this.renewer.unref();
    }
  }

  get size(): number {
    return this.running.size;
  }

  /** The slot of a schedule this process runs, if any. */
  runningOf(name: string): SlotRecord | undefined {
    for (const tracked of this.running.values()) if (tracked.schedule.name === name) return tracked.slot;
    return undefined;
  }

  /** Whether this process runs the run (and so holds its lease). */
  holds(runId: string): boolean {
    return this.running.has(runId);
  }

  /** Starts (or resumes) a claimed slot's run and follows it; a slot that cannot run is ended failed with why. */
  async run(claimed: ClaimedSlot, schedule: ScheduleConfig): Promise<void> {
    this.listen();
    const { slot } = claimed;
    if (claimed.takeover && slot.runId) return this.resume(slot, schedule);
    if (schedule.skill) {
      const problem = await this.options.port.skillProblem(schedule.skill);
      if (problem) return this.end(slot, schedule, 'failed', problem);
    }
    await this.start(slot, schedule, claimed.takeover ? 'its holder stopped before the run started; starting it again' : undefined);
  }

  private async start(slot: SlotRecord, schedule: ScheduleConfig, reason?: string): Promise<void> {
    try {
      const { runId } = await this.options.port.start({ goal: goalOf(schedule), ...(schedule.model ? { model: schedule.model } : {}), ...(slot.runId ? { runId: slot.runId } : {}) });
      await this.options.ledger.update(slot.id, { runId, ...(reason ? { reason } : {}) });
      this.track({ ...slot, runId, ...(reason ? { reason } : {}) }, schedule);
    } catch (error) {
      await this.end(slot, schedule, 'failed', `the run could not start: ${errorMessage(error)}`);
    }
  }

  /** A slot whose holder stopped: its run goes on from the checkpoint (completed steps are not done again). */
  private async resume(slot: SlotRecord, schedule: ScheduleConfig): Promise<void> {
    const runId = slot.runId!;
    const { port, ledger } = this.options;
    try {
      const here = await port.state(runId);
      const status = here?.status;
      // On a team database a stopped run whose slot is still started was stopped by its holder going away (a worker
      // stopping gives its slots back): it goes on. On a data dir it was stopped with its host: recorded so.
      if (status === 'completed' || status === 'failed' || (status === 'stopped' && !ledger.shared)) {
        return await this.end(slot, schedule, status === 'completed' ? 'finished' : status, here?.reason ?? 'ended while the scheduler was not running');
      }
      if (status !== 'running' && !(await port.resume(runId))) return await this.start(slot, schedule, 'its holder stopped before the run started; starting it again');
      const reason = [slot.reason, `resumed from its checkpoint after ${ledger.shared ? 'its host or worker stopped' : 'the host restarted'}`].filter(Boolean).join('; ');
      await ledger.update(slot.id, { reason });
      this.track({ ...slot, reason }, schedule);
    } catch (error) {
      await this.end(slot, schedule, 'failed', `the host stopped during the run and it could not be resumed: ${errorMessage(error)}`);
    }
  }

  private track(slot: SlotRecord, schedule: ScheduleConfig): void {
    this.options.slotRun?.(slot.runId!);
    this.running.set(slot.runId!, { slot, schedule, approvals: new Map() });
    this.notify(slot, 'started');
  }

  private async end(slot: SlotRecord, schedule: ScheduleConfig, status: 'finished' | 'failed' | 'stopped', reason: string | undefined): Promise<void> {
    const { ledger, holder, now } = this.options;
    if (slot.runId) this.running.delete(slot.runId);
    await ledger.end(slot.id, holder, { status, ...(reason ? { reason } : {}), endedAt: now() });
    const ended = (await ledger.get(slot.id)) ?? { ...slot, status };
    this.notify(ended, status, ended.reason);
    this.options.ended?.(ended, schedule);
  }

  private async onRunEvent(event: RunEvent): Promise<void> {
    const tracked = this.running.get(event.runId);
    if (!tracked) return;
    const { port } = this.options;
    if (event.type === 'approval.requested') {
      if (tracked.schedule.approvals === 'deny') {
        await port.denyApproval(event.id, `unattended run of schedule ${tracked.schedule.name} (approvals: deny)`).catch(() => undefined);
        await this.note(tracked, `approval for ${event.tool} denied at once (approvals: deny)`);
      } else {
        tracked.approvals.set(event.id, this.options.now() + tracked.schedule.approval_timeout_s * 1000);
        await this.note(tracked, `waiting for approval of ${event.tool}`);
        this.notify(tracked.slot, 'waiting_approval', `approval needed: ${event.tool} (${event.reason})`);
      }
    } else if (event.type === 'approval.resolved') {
      if (tracked.approvals.delete(event.id)) await this.note(tracked, `approval ${event.decision === 'deny' ? 'denied' : 'granted'} by ${event.by}`);
    } else if (event.type === 'run.finished') {
      const status = event.status === 'completed' ? 'finished' : event.status;
      await this.end(tracked.slot, tracked.schedule, status, event.reason ?? (await this.options.ledger.get(tracked.slot.id))?.reason);
    }
  }

  /** Records what happened to a running slot's approvals in its reason, so the ledger says waited or denied. */
  private async note(tracked: Tracked, text: string): Promise<void> {
    const current = await this.options.ledger.get(tracked.slot.id);
    const reason = [current?.reason, text].filter(Boolean).join('; ');
    await this.options.ledger.update(tracked.slot.id, { reason });
    tracked.slot = { ...tracked.slot, reason };
  }

  /** Denies the approvals an unattended run waited for longer than its schedule's approval_timeout_s. */
  async expireApprovals(now: number): Promise<void> {
    for (const tracked of this.running.values()) {
      for (const [id, deadline] of tracked.approvals) {
        if (deadline > now) continue;
        tracked.approvals.delete(id);
        await this.note(tracked, `no decision within approval_timeout_s (${tracked.schedule.approval_timeout_s}s): denied`);
        await this.options.port.denyApproval(id, `no decision within ${tracked.schedule.approval_timeout_s}s for the unattended run of schedule ${tracked.schedule.name}`).catch(() => undefined);
      }
    }
  }

  /** The earliest approval deadline of the runs it follows. */
  nextDeadline(): number | undefined {
    const times = [...this.running.values()].flatMap((t) => [...t.approvals.values()]);
    return times.length ? Math.min(...times) : undefined;
  }

  /**
   * Renews this process's claim on a slot; false when it was lost (it stalled past its lease and another holder
   * took the slot over): the run is stopped here at once, so it never goes on in two places.
   */
  async renew(runId: string): Promise<boolean> {
    const tracked = this.running.get(runId);
    if (!tracked) return true;
    if (await this.options.ledger.renew(tracked.slot.id, this.options.holder, this.options.leaseMs)) return true;
    this.running.delete(runId);
    await this.options.port.abort(runId).catch(() => undefined);
    return false;
  }

  private async renewAll(): Promise<void> {
    for (const runId of [...this.running.keys()]) await this.renew(runId).catch(() => undefined); // the database is away: the next renewal tries again
  }

  /**
   * Stops following its runs (their ends are not recorded here) and says which they were: a worker stopping stops
   * those runs, then gives their slots back (ledger.release) so another resumes them at once.
   */
  detach(): { slotId: string; runId: string }[] {
    const held = [...this.running.values()].map(({ slot }) => ({ slotId: slot.id, runId: slot.runId! }));
    this.running.clear();
    return held;
  }

  private notify(slot: SlotRecord, status: ScheduleRunEvent['status'], reason = slot.reason): void {
    this.options.notify?.({ schedule: slot.schedule, slotId: slot.id, status, ...(slot.runId ? { runId: slot.runId } : {}), ...(reason ? { reason } : {}) });
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.renewer);
    this.renewer = undefined;
  }
}

/** The goal a schedule's run gets: its own, or a request to run its skill with the input. */
export function goalOf(schedule: ScheduleConfig): string {
  if (schedule.goal) return schedule.goal;
  return `Run the skill "${schedule.skill}" with run_skill and this input: ${JSON.stringify(schedule.input ?? {})}. Report its result.`;
}
