// What to do with the slots that came since a schedule was last looked at: run them, or record them missed and why.
import type { ScheduleConfig } from '../config/index.ts';
import type { SlotTrigger } from './ledger.ts';

export type SlotPlan = { at: number; action: 'run'; trigger: SlotTrigger; reason?: string } | { at: number; action: 'miss'; reason: string };

export interface PlanContext {
  now: number;
  /** A slot handled within this long after its time is on time; later ones were missed. */
  graceMs: number;
  /** When this host started: a late slot before it was missed because the host was down, after it because the machine slept. */
  hostStartedAt: number;
}

/** Why a late slot was missed. */
export function missCause(at: number, context: PlanContext): string {
  return at < context.hostStartedAt ? 'host down' : 'asleep';
}

/** Applies the schedule's catch-up policy (skip | run_once | run_all, at most max_catch_up runs). */
export function planSlots(schedule: ScheduleConfig, slots: number[], context: PlanContext): SlotPlan[] {
  const late = slots.filter((at) => context.now - at > context.graceMs);
  const onTime = slots.filter((at) => context.now - at <= context.graceMs);
  const plans: SlotPlan[] = [];
  const missed = (at: number, why: string): SlotPlan => ({ at, action: 'miss', reason: `${missCause(at, context)}: ${why}` });
  if (schedule.catch_up === 'skip') {
    for (const at of late) plans.push(missed(at, 'not caught up (catch_up: skip)'));
  } else if (schedule.catch_up === 'run_once') {
    const covering = onTime.length ? undefined : late.at(-1);
    for (const at of late) {
      if (at === covering) continue;
      plans.push(missed(at, onTime.length ? 'covered by the on-time run (catch_up: run_once)' : 'covered by one catch-up run (catch_up: run_once)'));
    }
    if (covering !== undefined) {
      const count = late.length;
      plans.push({ at: covering, action: 'run', trigger: 'catch_up', reason: `catch-up after ${missCause(covering, context)}: one run for ${count} missed slot${count === 1 ? '' : 's'}` });
    }
  } else {
    const limit = schedule.max_catch_up;
    const kept = late.slice(-limit);
    for (const at of late.slice(0, Math.max(0, late.length - limit))) plans.push(missed(at, `more than max_catch_up (${limit}) missed slots`));
    for (const at of kept) plans.push({ at, action: 'run', trigger: 'catch_up', reason: `catch-up after ${missCause(at, context)} (catch_up: run_all)` });
  }
  for (const at of onTime) plans.push({ at, action: 'run', trigger: 'slot' });
  return plans.sort((a, b) => a.at - b.at);
}
