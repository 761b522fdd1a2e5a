// `rein worker`: runs schedule slots and queued runs from the team's PostgreSQL database, at most `maxConcurrent`
// at a time. A slot is claimed from the schedule ledger (the hosts decide which slots are due), a run from the job
// queue; each runs under its claim's run id through the Runtime's public API: a first attempt starts the run, a
// later one (its holder died: the lease ran out) resumes it from its last checkpoint — completed steps are not done
// again and a side-effecting call in flight at the crash is not repeated. The worker opens no port: everything goes
// through the database (sessions, approvals the host's UI answers, the audit chain).
import { errorMessageOf, MemoryNotFoundError, openScheduleLedger, ReinError, Runtime, SlotRunner, type ClaimedSlot, type ReinConfig, type RunHandle, type ScheduleLedger, type Tool } from '../runtime/index.ts';
import { JobQueue, workerName, type Job } from './jobs.ts';
import { runtimePort } from './slot-port.ts';

/** How often a worker says it is up (hosts leave slots to workers seen within 15 s). */
const PRESENCE_MS = 5000;

export interface WorkerOptions {
  /** The worker's config; its memory.episodic is the team's database. */
  config: ReinConfig;
  maxConcurrent: number;
  /** How long a claim holds without renewal (default 30 s); renewed every third of it. */
  leaseMs?: number;
  /** How often an idle worker looks for work (default 1 s). */
  pollMs?: number;
  name?: string;
  /** Extra tools (tests). */
  tools?: Tool[];
  /** Stops the worker: runs are stopped and their jobs given back to the queue. */
  signal: AbortSignal;
  log?: (line: string) => void;
}

export async function runWorker(options: WorkerOptions): Promise<{ finished: number }> {
  const database = options.config.memory.episodic;
  if (!database) throw new ReinError('a worker needs the team\'s database: rein worker --database postgres://…');
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1000;
  const name = options.name ?? workerName();
  const log = options.log ?? (() => undefined);
  const queue = await JobQueue.open(database);
  let ledger: ScheduleLedger;
  try {
    ledger = await openScheduleLedger(options.config);
  } catch (error) {
    await queue.close();
    throw error;
  }
  const runtime = new Runtime({ config: options.config, ...(options.tools ? { tools: options.tools } : {}) });
  const active = new Map<string, Promise<void>>();
  let finished = 0;
  const slots = new SlotRunner({
    ledger,
    port: runtimePort(runtime),
    holder: name,
    leaseMs,
    now: () => Date.now(),
    notify: (notice) => {
      if (notice.status === 'waiting_approval') log(`slot ${notice.slotId} of ${notice.schedule}: ${notice.status.replace('_', ' ')}${notice.reason ? ` (${notice.reason})` : ''}`);
    },
    ended: (slot) => {
      if (slot.status === 'finished') finished++;
      log(`slot ${slot.id} of ${slot.schedule}: ${slot.status}${slot.reason ? ` (${slot.reason})` : ''}`);
    },
  });
  // The fence: a tool runs only while this worker still holds its job's or slot's lease (renewed right before the
  // call), so a worker that stalled past its lease never makes a call the new holder will make too.
  runtime.guard.use(async (call, next) => {
    if (active.has(call.runId) && !(await queue.renew(call.runId, name, leaseMs))) {
      runtime.getRun(call.runId)?.abort('the job\'s lease was lost to another worker');
      throw new ReinError(`not run: this worker lost job ${call.runId} to another worker`);
    }
    if (slots.holds(call.runId) && !(await slots.renew(call.runId))) throw new ReinError(`not run: this worker lost the scheduled run ${call.runId} to another host or worker`);
    return next();
  });
  let seen = 0;
  const present = async () => {
    if (Date.now() - seen < PRESENCE_MS) return;
    seen = Date.now();
    await ledger.present(name).catch((error: unknown) => log(`cannot reach the schedule ledger: ${errorMessageOf(error)}`));
  };
  try {
    await runtime.start();
    slots.listen();
    log(`worker ${name} on ${queue.where}: schedule slots and queued runs, up to ${options.maxConcurrent} at a time`);
    while (!options.signal.aborted) {
      await present();
      await slots.expireApprovals(Date.now()).catch(() => undefined);
      const room = () => active.size + slots.size < options.maxConcurrent;
      const slot = room() ? await ledger.claim(name, { leaseMs }).catch((error: unknown) => (log(`cannot claim a schedule slot: ${errorMessageOf(error)}`), undefined)) : undefined;
      if (slot) {
        await runSlot(slot, slots, ledger, name, log);
        continue;
      }
      const job = room() ? await queue.claim(name, leaseMs).catch((error: unknown) => (log(`cannot claim a job: ${errorMessageOf(error)}`), undefined)) : undefined;
      if (!job) {
        await Promise.race([sleep(pollMs, options.signal), ...(active.size >= options.maxConcurrent ? active.values() : [])]);
        continue;
      }
      const work = runJob(job, { queue, runtime, name, leaseMs, log, signal: options.signal })
        .then((done) => void (finished += done ? 1 : 0))
        .finally(() => active.delete(job.id));
      active.set(job.id, work);
    }
    await Promise.allSettled(active.values());
    await giveBack(slots, runtime, ledger, name, log);
  } finally {
    slots.close();
    await ledger.absent(name).catch(() => undefined);
    await runtime.close();
    await ledger.close();
    await queue.close();
  }
  return { finished };
}

/** Starts (or, taken over from a holder that stopped, resumes) a claimed slot with what its schedule runs. */
async function runSlot(claimed: ClaimedSlot, slots: SlotRunner, ledger: ScheduleLedger, name: string, log: (line: string) => void): Promise<void> {
  const { slot } = claimed;
  const schedule = claimed.definition ?? (await ledger.added()).find((s) => s.name === slot.schedule);
  if (!schedule) {
    await ledger.end(slot.id, name, { status: 'failed', reason: 'the slot does not say what to run and its schedule is not in the ledger', endedAt: Date.now() });
    return;
  }
  log(`slot ${slot.id} of ${slot.schedule}: ${claimed.takeover ? `taken over (attempt ${slot.attempts}), resuming run ${slot.runId}` : `claimed, run ${slot.runId}`}`);
  await slots.run(claimed, schedule);
}

/** Stopping: the slots' runs stop here, then their slots go back to the ledger, so another worker resumes them at once. */
async function giveBack(slots: SlotRunner, runtime: Runtime, ledger: ScheduleLedger, name: string, log: (line: string) => void): Promise<void> {
  const held = slots.detach();
  const runs = held.map(({ runId }) => runtime.getRun(runId));
  for (const run of runs) run?.abort('the worker is stopping');
  await Promise.allSettled(runs.map((run) => run?.result));
  for (const { slotId } of held) {
    await ledger.release(slotId, name).catch(() => undefined);
    log(`slot ${slotId}: given back to the ledger`);
  }
}

interface JobContext {
  queue: JobQueue;
  runtime: Runtime;
  name: string;
  leaseMs: number;
  log: (line: string) => void;
  signal: AbortSignal;
}

/** Runs (or resumes) one job, renewing its lease; true when the job finished here. */
async function runJob(job: Job, { queue, runtime, name, leaseMs, log, signal }: JobContext): Promise<boolean> {
  let handle: RunHandle;
  try {
    handle = await launch(job, runtime);
  } catch (error) {
    if (error instanceof ReinError && /already completed/.test(error.message)) {
      // It finished, and its worker died before it could say so.
      await queue.finish(job.id, name, { status: 'finished', result: 'completed' });
      return true;
    }
    log(`job ${job.id}: cannot start: ${errorMessageOf(error)}`);
    await queue.finish(job.id, name, { status: 'failed', reason: errorMessageOf(error) });
    return false;
  }
  log(`job ${job.id}: ${job.attempts > 1 ? 'resumed' : 'started'} (attempt ${job.attempts})`);
  let lost = false;
  const renew = setInterval(() => {
    void queue.renew(job.id, name, leaseMs).then(
      (kept) => {
        if (kept) return;
        lost = true; // another worker has it now: stop at once so the run never goes on in two places
        handle.abort('the job\'s lease was lost to another worker');
      },
      () => undefined, // the database is away: the run goes on, the next renewal tries again
    );
  }, Math.max(50, Math.floor(leaseMs / 3)));
  const stop = () => handle.abort('the worker is stopping');
  signal.addEventListener('abort', stop, { once: true });
  try {
    const result = await handle.result;
    if (lost) return false;
    if (signal.aborted && result.status === 'stopped') {
      await queue.release(job.id, name); // another worker resumes it from its checkpoint
      log(`job ${job.id}: given back to the queue`);
      return false;
    }
    await queue.finish(job.id, name, { status: 'finished', result: result.status, ...(result.reason ? { reason: result.reason } : {}) });
    log(`job ${job.id}: ${result.status}`);
    return true;
  } finally {
    clearInterval(renew);
    signal.removeEventListener('abort', stop);
  }
}

/** A job's first attempt starts its run under the job's id; a later one resumes the session from its checkpoint. */
async function launch(job: Job, runtime: Runtime): Promise<RunHandle> {
  const start = () => runtime.startRun(job.goal, { runId: job.id, ...(job.options.model ? { model: job.options.model } : {}) });
  if (job.attempts <= 1) return start();
  try {
    return await runtime.resumeRun(job.id);
  } catch (error) {
    if (error instanceof MemoryNotFoundError) return start(); // its worker died before the run was logged
    throw error;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
