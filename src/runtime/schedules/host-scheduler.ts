// The scheduler as a host runs it: the ledger in the data dir, a timer that wakes for the next slot (and at least
// every heartbeat, so a machine that slept is noticed), and the API section.
import type { RuntimeApi, SchedulesApi, SystemEventInput } from '../../common/index.ts';
import type { ReinConfig } from '../config/index.ts';
import { ScheduleLedger } from './ledger.ts';
import { apiRunPort, type RunPort } from './port.ts';
import { Scheduler, systemClock, type Clock } from './scheduler.ts';
import { schedulesService } from './service.ts';

const HEARTBEAT_MS = 30_000;

export interface HostSchedulerOptions {
  config: () => ReinConfig;
  api: RuntimeApi;
  notify: (event: SystemEventInput) => void;
  clock?: Clock;
  /** Replaces the API port (tests). */
  port?: RunPort;
}

export interface HostScheduler {
  scheduler: Scheduler;
  ledger: ScheduleLedger;
  service: SchedulesApi;
  close(): void;
}

export async function startHostScheduler(options: HostSchedulerOptions): Promise<HostScheduler> {
  const clock = options.clock ?? systemClock;
  const ledger = new ScheduleLedger(options.config().dataDir);
  const scheduler = new Scheduler({ ledger, port: options.port ?? apiRunPort(options.api), configured: () => options.config().schedules, clock, notify: options.notify });
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const arm = () => {
    if (closed) return;
    const wake = scheduler.nextWake();
    const delay = Math.max(50, Math.min(HEARTBEAT_MS, wake === undefined ? HEARTBEAT_MS : wake - clock.now()));
    timer = setTimeout(() => void scheduler.tick().finally(arm), delay);
    timer.unref();
  };
  await scheduler.start();
  arm();
  const service = schedulesService(scheduler, ledger, () => clock.now());
  // A change (add, pause, resume) may move the next wake-up earlier: re-arm after each.
  const rearm = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A) => {
    const result = await call(...args);
    clearTimeout(timer);
    arm();
    return result;
  };
  return {
    scheduler,
    ledger,
    service: { ...service, add: rearm(service.add), resume: rearm(service.resume), pause: rearm(service.pause) },
    close: () => {
      closed = true;
      clearTimeout(timer);
      scheduler.close();
      ledger.close();
    },
  };
}
