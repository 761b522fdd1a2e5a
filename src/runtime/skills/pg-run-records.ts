// Skill run records in the team's PostgreSQL database.
import { migrate, sharedPool, type SharedPool } from '../postgres/index.ts';
import type { RunRecord, RunRecords } from './run-records.ts';

const MIGRATIONS: readonly string[] = ['CREATE TABLE skill_runs (run_id TEXT PRIMARY KEY, record JSONB NOT NULL)'];

export class PgRunRecords implements RunRecords {
  private readonly shared: SharedPool;

  private constructor(shared: SharedPool) {
    this.shared = shared;
  }

  static async open(url: string): Promise<PgRunRecords> {
    const shared = sharedPool(url);
    try {
      await migrate(shared.pool, 'skill_runs', MIGRATIONS, shared.where);
      return new PgRunRecords(shared);
    } catch (error) {
      await shared.release();
      throw error;
    }
  }

  async read(runId: string): Promise<RunRecord | undefined> {
    const { rows } = await this.shared.pool.query<{ record: RunRecord }>('SELECT record FROM skill_runs WHERE run_id = $1', [runId]);
    return rows[0]?.record;
  }

  async write(record: RunRecord): Promise<void> {
    await this.shared.pool.query('INSERT INTO skill_runs (run_id, record) VALUES ($1, $2) ON CONFLICT (run_id) DO UPDATE SET record = excluded.record', [record.runId, JSON.stringify(record)]);
  }
}
