// The schedules section of the API over a scheduler and its ledger.
import type { ScheduleDefinition, ScheduleSlot, ScheduleView, SchedulesApi } from '../../common/index.ts';
import { ApiArgumentError, ApiNotFoundError } from '../api/index.ts';
import { scheduleSchema, type ScheduleConfig } from '../config/index.ts';
import type { Scheduler } from './scheduler.ts';
import type { ScheduleLedger, SlotRecord } from './ledger.ts';
import { nextSlot } from './timing.ts';

export function schedulesService(scheduler: Scheduler, ledger: ScheduleLedger, now: () => number): SchedulesApi {
  const view = async (schedule: ScheduleConfig, source: 'config' | 'added'): Promise<ScheduleView> => {
    const state = await ledger.state(schedule.name);
    const paused = state?.paused ?? false;
    const last = (await ledger.history(schedule.name, 1))[0];
    const running = (await ledger.open(schedule.name)).find((s) => s.status === 'started')?.runId;
    const at = now();
    const next = paused || !schedule.enabled ? undefined : nextSlot(schedule, state?.anchor ?? at, Math.max(state?.lastSlot ?? at, at));
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
  const existing = async (name: unknown): Promise<{ schedule: ScheduleConfig; source: 'config' | 'added' }> => {
    if (typeof name !== 'string') throw new ApiArgumentError('a schedule name is required');
    const found = (await scheduler.schedules()).find((s) => s.schedule.name === name);
    if (!found) throw new ApiNotFoundError(`no schedule named "${name}"`);
    return found;
  };
  const setPaused = async (name: string, paused: boolean) => {
    await existing(name);
    const at = now();
    const state = (await ledger.state(name)) ?? { name, anchor: at, lastSlot: at, paused };
    await ledger.saveState({ ...state, paused, lastSlot: paused ? state.lastSlot : Math.max(state.lastSlot, at) });
  };
  return {
    list: async () => Promise.all((await scheduler.schedules()).map(({ schedule, source }) => view(schedule, source))),
    add: async (definition: ScheduleDefinition) => {
      const parsed = scheduleSchema.safeParse(definition);
      if (!parsed.success) throw new ApiArgumentError(`invalid schedule: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'schedule'}: ${i.message}`).join('; ')}`);
      if (await scheduler.find(parsed.data.name)) throw new ApiArgumentError(`a schedule named "${parsed.data.name}" exists already`);
      await ledger.add(parsed.data, now());
      await scheduler.tick();
      return view(parsed.data, 'added');
    },
    remove: async (name) => {
      const { source } = await existing(name);
      if (source === 'config') throw new ApiArgumentError(`schedule "${name}" is defined in rein.yaml: remove it there (or pause it)`);
      await ledger.remove(name);
    },
    pause: (name) => setPaused(name, true),
    resume: (name) => setPaused(name, false),
    runNow: async (name) => {
      await existing(name);
      try {
        return slotView(await scheduler.runNow(name));
      } catch (error) {
        throw new ApiArgumentError(error instanceof Error ? error.message : String(error));
      }
    },
    history: async (given, limit = 50) => {
      const name = given ?? undefined; // null over the wire = every schedule
      if (name !== undefined) await existing(name);
      if (!Number.isInteger(limit) || limit < 1) throw new ApiArgumentError('limit must be a positive whole number');
      return (await ledger.history(name, Math.min(limit, 1000))).map(slotView);
    },
  };
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
    ...(slot.holder ? { heldBy: slot.holder } : {}),
  };
}
