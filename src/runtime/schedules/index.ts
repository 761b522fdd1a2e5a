// Schedules: unattended runs on a cron or interval, with catch-up and overlap policies and a durable ledger (the data
// dir's SQLite file, or the team's PostgreSQL database, where hosts and workers claim slots).
export { Scheduler, systemClock, goalOf, type Clock, type SchedulerOptions } from './scheduler.ts';
export { openScheduleLedger, type ScheduleLedger, type SlotRecord, type SlotStatus, type ScheduleState, type ClaimedSlot, type NewSlot } from './ledger.ts';
export { SlotRunner, type SlotRunnerOptions, type SlotNotice } from './slot-runner.ts';
export { planSlots, type SlotPlan } from './catch-up.ts';
export { slotsBetween, nextSlot } from './timing.ts';
export { apiRunPort, skillProblemOf, type RunPort } from './port.ts';
export { schedulesService, describeTiming, slotView } from './service.ts';
export { startHostScheduler, type HostScheduler, type HostSchedulerOptions } from './host-scheduler.ts';
