// The scheduler as a host runs it: the ledger (the data dir's, or the team database's), a timer that wakes for the
// next slot (and at least every heartbeat, so a machine that slept is noticed), and the API section.
import os from 'node:os';
import type { RuntimeApi, SchedulesApi, SystemEventInput } from '../../common/index.ts';
import { ReinError } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { ToolMiddleware } from '../tools/index.ts';
import { openScheduleLedger, type ScheduleLedger } from './ledger.ts';
import { apiRunPort, type RunPort } from './port.ts';
import { Scheduler, systemClock, type Clock } from './scheduler.ts';
import { schedulesService } from './service.ts';

const HEARTBEAT_MS = 30_000;
/** On a team database, slots whose holder stopped are looked for at least this often. */
const SHARED_HEARTBEAT_MS = 10_000;

export interface HostSchedulerOptions {
  config: () => ReinConfig;
  api: RuntimeApi;
  notify: (event: SystemEventInput) => void;
  clock?: Clock;
  /** Replaces the API port (tests). */
  port?: RunPort;
  /** Told the id of every run started or resumed for a slot: the scheduler resumes those itself after a crash. */
  slotRun?: (runId: string) => void;
  /** The host runtime's tool guard: on a team database, a slot's tool call is made only while this host holds the slot. */
  guard?: { use(middleware: ToolMiddleware): void };
}

export interface HostScheduler {
  scheduler: Scheduler;
  ledger: ScheduleLedger;
  service: SchedulesApi;
  close(): Promise<void>;
}

export async function startHostScheduler(options: HostSchedulerOptions): Promise<HostScheduler> {
  const clock = options.clock ?? systemClock;
  const ledger = await openScheduleLedger(options.config());

  const config = options.config();
  const scheduler = new Scheduler({
    ledger,
    port: options.port ?? apiRunPort(options.api),
    configured: () => options.config().schedules,
    clock,
    notify: options.notify,
    holder: `host ${os.hostname()}:${config.dataDir}`, // one host per data dir: the next one takes its slots back
    ...(options.slotRun ? { slotRun: options.slotRun } : {}),
  });
  // The fence: a host that stalled past its lease (another took the slot over and resumes its run) makes no call.
  if (ledger.shared) {
    options.guard?.use(async (call, next) => {
      if (!(await scheduler.fence(call.runId))) throw new ReinError(`not run: this host lost the scheduled run ${call.runId} to another host or worker`);
      return next();
    });
  }
  const heartbeat = ledger.shared ? SHARED_HEARTBEAT_MS : HEARTBEAT_MS;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const arm = async () => {
    if (closed) return;
    const wake = await scheduler.nextWake().catch(() => undefined);
    if (closed) return;
    clearTimeout(timer);
    const delay = Math.max(50, Math.min(heartbeat, wake === undefined ? heartbeat : wake - clock.now()));
    timer = setTimeout(() => void scheduler.tick().finally(() => void arm()), delay);
    timer.unref();
  };
  try {
    await scheduler.start();
  } catch (error) {
    scheduler.close();
    await ledger.close();
    throw error;
  }
  await arm();
  const service = schedulesService(scheduler, ledger, () => clock.now());
  // A change (add, pause, resume) may move the next wake-up earlier: re-arm after each.
  const rearm = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A) => {
    const result = await call(...args);
    await arm();
    return result;
  };
  return {
    scheduler,
    ledger,
    service: { ...service, add: rearm(service.add), resume: rearm(service.resume), pause: rearm(service.pause) },
    close: async () => {
      closed = true;
      clearTimeout(timer);
      scheduler.close();
      await ledger.close();
    },
  };
}
