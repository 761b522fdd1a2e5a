// Schedules: unattended runs on a cron or interval, with catch-up and overlap policies and a durable ledger.
export { Scheduler, systemClock, goalOf, type Clock, type SchedulerOptions } from './scheduler.ts';
export { ScheduleLedger, type SlotRecord, type SlotStatus, type ScheduleState } from './ledger.ts';
export { planSlots, type SlotPlan } from './catch-up.ts';
export { slotsBetween, nextSlot } from './timing.ts';
export { apiRunPort, type RunPort } from './port.ts';
export { schedulesService, describeTiming, slotView } from './service.ts';
export { startHostScheduler, type HostScheduler, type HostSchedulerOptions } from './host-scheduler.ts';
