// The schedules section of the API over a scheduler and its ledger.
import type { ScheduleDefinition, ScheduleSlot, ScheduleView, SchedulesApi } from '../../common/index.ts';
import { ApiArgumentError, ApiNotFoundError } from '../api/index.ts';
import { scheduleSchema, type ScheduleConfig } from '../config/index.ts';
import type { Scheduler } from './scheduler.ts';
import type { ScheduleLedger, SlotRecord } from './ledger.ts';
import { nextSlot } from './timing.ts';

export function schedulesService(scheduler: Scheduler, ledger: ScheduleLedger, now: () => number): SchedulesApi {
  const view = (schedule: ScheduleConfig, source: 'config' | 'added'): ScheduleView => {
    const paused = ledger.state(schedule.name)?.paused ?? false;
    const last = ledger.history(schedule.name, 1)[0];
    const running = scheduler.runningRunId(schedule.name);
    const next = paused || !schedule.enabled ? undefined : nextOf(schedule, ledger, now());
    return {
      name: schedule.name,
      source,
      definition: schedule,
      when: describeTiming(schedule),
      paused,
      enabled: schedule.enabled,
      ...(next !== undefined ? { nextAt: new Date(next).toISOString() } : {}),
      ...(last ? { last: slotView(last) } : {}),
      ...(running ? { runningRunId: running } : {}),
    };
  };
  const existing = (name: unknown): { schedule: ScheduleConfig; source: 'config' | 'added' } => {
    if (typeof name !== 'string') throw new ApiArgumentError('a schedule name is required');
    const found = scheduler.schedules().find((s) => s.schedule.name === name);
    if (!found) throw new ApiNotFoundError(`no schedule named "${name}"`);
    return found;
  };
  const setPaused = (name: string, paused: boolean) => {
    existing(name);
    const at = now();
    const state = ledger.state(name) ?? { name, anchor: at, lastSlot: at, paused };
    ledger.saveState({ ...state, paused, lastSlot: paused ? state.lastSlot : Math.max(state.lastSlot, at) });
    return Promise.resolve();
  };
  return {
    list: () => Promise.resolve(scheduler.schedules().map(({ schedule, source }) => view(schedule, source))),
    add: async (definition: ScheduleDefinition) => {
      const parsed = scheduleSchema.safeParse(definition);
      if (!parsed.success) throw new ApiArgumentError(`invalid schedule: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'schedule'}: ${i.message}`).join('; ')}`);
      if (scheduler.find(parsed.data.name)) throw new ApiArgumentError(`a schedule named "${parsed.data.name}" exists already`);
      ledger.add(parsed.data, now());
      await scheduler.tick();
      return view(parsed.data, 'added');
    },
    remove: (name) => {
      const { source } = existing(name);
      if (source === 'config') throw new ApiArgumentError(`schedule "${name}" is defined in rein.yaml: remove it there (or pause it)`);
      ledger.remove(name);
      return Promise.resolve();
    },
    pause: (name) => setPaused(name, true),
    resume: (name) => setPaused(name, false),
    runNow: async (name) => {
      existing(name);
      try {
        return slotView(await scheduler.runNow(name));
      } catch (error) {
        throw new ApiArgumentError(error instanceof Error ? error.message : String(error));
      }
    },
    history: (given, limit = 50) => {
      const name = given ?? undefined; // null over the wire = every schedule
      if (name !== undefined) existing(name);
      if (!Number.isInteger(limit) || limit < 1) throw new ApiArgumentError('limit must be a positive whole number');
      return Promise.resolve(ledger.history(name, Math.min(limit, 1000)).map(slotView));
    },
  };
}

function nextOf(schedule: ScheduleConfig, ledger: ScheduleLedger, at: number): number | undefined {
  const state = ledger.state(schedule.name);
  return nextSlot(schedule, state?.anchor ?? at, Math.max(state?.lastSlot ?? at, at));
}

export function describeTiming(schedule: ScheduleConfig): string {
  if (schedule.cron) return `cron ${schedule.cron}${schedule.timezone ? ` (${schedule.timezone})` : ''}`;
  return `every ${typeof schedule.every === 'number' ? `${schedule.every}s` : schedule.every}`;
}

export function slotView(slot: SlotRecord): ScheduleSlot {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    id: slot.id,
    schedule: slot.schedule,
    dueAt: iso(slot.dueAt)!,
    status: slot.status,
    trigger: slot.trigger,
    ...(slot.reason ? { reason: slot.reason } : {}),
    ...(slot.runId ? { runId: slot.runId } : {}),
    ...(slot.startedAt !== undefined ? { startedAt: iso(slot.startedAt)! } : {}),
    ...(slot.endedAt !== undefined ? { endedAt: iso(slot.endedAt)! } : {}),
  };
}
