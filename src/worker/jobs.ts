// The shared job queue of a team's workers, in the PostgreSQL database the host uses (table rein_jobs): a job is
// claimed with FOR UPDATE SKIP LOCKED under a lease the worker renews while it runs; a job whose lease ran out
// (its worker died) is claimed again and resumed from its checkpoint; a finished job is never claimed again.
import os from 'node:os';
import type pg from 'pg';
import { inTransaction, migrate, newId, sharedPool, type SharedPool } from '../runtime/team.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE rein_jobs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     goal TEXT NOT NULL,
     options JSONB NOT NULL DEFAULT '{}',
     status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     max_attempts INTEGER NOT NULL DEFAULT 3,
     worker TEXT,
     lease_until TIMESTAMPTZ,
     result TEXT,
     reason TEXT,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     started_at TIMESTAMPTZ,
     finished_at TIMESTAMPTZ
   );
   CREATE INDEX rein_jobs_claimable ON rein_jobs (created_at) WHERE status IN ('queued', 'running');`,
];

export type JobStatus = 'queued' | 'running' | 'finished' | 'failed';

export interface Job {
  id: string;
  kind: 'run';
  goal: string;
  options: { model?: string };
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  worker?: string;
  /** The run's outcome (completed, failed, stopped, …) once finished. */
  result?: string;
  reason?: string;
}

interface JobRow {
  id: string;
  kind: 'run';
  goal: string;
  options: { model?: string };
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  worker: string | null;
  result: string | null;
  reason: string | null;
}

export class JobQueue {
  readonly where: string;
  private readonly shared: SharedPool;
  private readonly pool: pg.Pool;

  private constructor(shared: SharedPool) {
    this.shared = shared;
    this.pool = shared.pool;
    this.where = shared.where;
  }

  static async open(url: string): Promise<JobQueue> {
    const shared = sharedPool(url);
    try {
      await migrate(shared.pool, 'jobs', MIGRATIONS, shared.where);
      return new JobQueue(shared);
    } catch (error) {
      await shared.release();
      throw error;
    }
  }

  /** Queues a run; its id is the run's (and session's) id. */
  async enqueue(goal: string, options: { model?: string; maxAttempts?: number } = {}): Promise<Job> {
    const { rows } = await this.pool.query<JobRow>(
      "INSERT INTO rein_jobs (id, kind, goal, options, status, max_attempts) VALUES ($1, 'run', $2, $3, 'queued', $4) RETURNING *",
      [newId('run'), goal, JSON.stringify(options.model ? { model: options.model } : {}), options.maxAttempts ?? 3],
    );
    return toJob(rows[0]!);
  }

  /**
   * The oldest claimable job — queued, or running under a lease that ran out — now this worker's for `leaseMs`.
   * A job out of attempts (it kept killing its workers) is failed instead.
   */
  claim(worker: string, leaseMs: number): Promise<Job | undefined> {
    return inTransaction(this.pool, async (client) => {
      for (;;) {
        const { rows } = await client.query<JobRow>(
          `SELECT * FROM rein_jobs WHERE status = 'queued' OR (status = 'running' AND lease_until < now())
           ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1`,
        );
        const row = rows[0];
        if (!row) return undefined;
        if (row.attempts >= row.max_attempts) {
          await client.query("UPDATE rein_jobs SET status = 'failed', reason = $2, finished_at = now(), lease_until = NULL WHERE id = $1", [
            row.id, `gave up after ${row.attempts} attempts (its worker stopped each time)`,
          ]);
          continue;
        }
        const claimed = await client.query<JobRow>(
          `UPDATE rein_jobs SET status = 'running', worker = $2, attempts = attempts + 1, lease_until = now() + make_interval(secs => $3),
             started_at = COALESCE(started_at, now()) WHERE id = $1 RETURNING *`,
          [row.id, worker, leaseMs / 1000],
        );
        return toJob(claimed.rows[0]!);
      }
    });
  }

  /** Extends this worker's lease; false when the job is no longer this worker's (the lease ran out and another took it). */
  async renew(id: string, worker: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "UPDATE rein_jobs SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND worker = $2 AND status = 'running'",
      [id, worker, leaseMs / 1000],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Records the outcome; false when the job was no longer this worker's. */
  async finish(id: string, worker: string, outcome: { status: 'finished' | 'failed'; result?: string; reason?: string }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "UPDATE rein_jobs SET status = $3, result = $4, reason = $5, finished_at = now(), lease_until = NULL WHERE id = $1 AND worker = $2 AND status = 'running'",
      [id, worker, outcome.status, outcome.result ?? null, outcome.reason ?? null],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Gives a job back (this worker is stopping): another worker resumes it at once. */
  async release(id: string, worker: string): Promise<void> {
    await this.pool.query("UPDATE rein_jobs SET status = 'queued', worker = NULL, lease_until = NULL WHERE id = $1 AND worker = $2 AND status = 'running'", [id, worker]);
  }

  async get(id: string): Promise<Job | undefined> {
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM rein_jobs WHERE id = $1', [id]);
    return rows[0] && toJob(rows[0]);
  }

  async list(limit = 100): Promise<Job[]> {
    return (await this.pool.query<JobRow>('SELECT * FROM rein_jobs ORDER BY created_at DESC, id LIMIT $1', [limit])).rows.map(toJob);
  }

  async counts(): Promise<Record<JobStatus, number>> {
    const { rows } = await this.pool.query<{ status: JobStatus; n: string }>('SELECT status, COUNT(*) AS n FROM rein_jobs GROUP BY status');
    const counts = { queued: 0, running: 0, finished: 0, failed: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  async close(): Promise<void> {
    await this.shared.release();
  }
}

/** This worker's name in the queue: host and process. */
export function workerName(): string {
  return `${os.hostname()}:${process.pid}`;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    goal: row.goal,
    options: row.options,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    ...(row.worker ? { worker: row.worker } : {}),
    ...(row.result ? { result: row.result } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
  };
}
