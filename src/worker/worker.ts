// `rein worker`: runs queued runs from the team's PostgreSQL database, at most `maxConcurrent` at a time. Each job
// runs under the job's id, through the Runtime's public API: a first attempt starts the run, a later one (its
// worker died: the lease ran out) resumes it from its last checkpoint — completed steps are not done again and a
// side-effecting call in flight at the crash is not repeated. The worker opens no port: everything goes through
// the database (sessions, approvals the host's UI answers, the audit chain).
import { errorMessageOf, MemoryNotFoundError, ReinError, Runtime, type ReinConfig, type RunHandle, type Tool } from '../runtime/index.ts';
import { JobQueue, workerName, type Job } from './jobs.ts';

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
  const runtime = new Runtime({ config: options.config, ...(options.tools ? { tools: options.tools } : {}) });
  const active = new Map<string, Promise<void>>();
  let finished = 0;
  // The fence: a tool runs only while this worker still holds its job's lease (renewed right before the call), so a
  // worker that stalled past its lease never makes a call the job's new worker will make too.
  runtime.guard.use(async (call, next) => {
    if (active.has(call.runId) && !(await queue.renew(call.runId, name, leaseMs))) {
      runtime.getRun(call.runId)?.abort('the job\'s lease was lost to another worker');
      throw new ReinError(`not run: this worker lost job ${call.runId} to another worker`);
    }
    return next();
  });
  try {
    await runtime.start();
    log(`worker ${name} on ${queue.where}: up to ${options.maxConcurrent} runs at a time`);
    while (!options.signal.aborted) {
      const job = active.size < options.maxConcurrent ? await queue.claim(name, leaseMs).catch((error: unknown) => (log(`cannot claim a job: ${errorMessageOf(error)}`), undefined)) : undefined;
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
  } finally {
    await runtime.close();
    await queue.close();
  }
  return { finished };
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
