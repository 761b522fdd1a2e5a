// The episodic log, session summaries and checkpoints in PostgreSQL. Writes of one session are applied in order (a
// chain per session), so an event never lands before its run.started nor a checkpoint before the events it covers.
import type pg from 'pg';
import type { RunEvent } from '../../../common/index.ts';
import type { Redactor } from '../../base/index.ts';
import { inTransaction, type Queryable } from '../../postgres/index.ts';
import type { Checkpoint, EventQuery, SessionSummary } from '../store.ts';
import { titleOf, toSummary, type SessionRow } from '../rows.ts';

export class PgEpisodic {
  private readonly pool: pg.Pool;
  private readonly redact: Redactor;
  /** The last pending write of each session. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(pool: pg.Pool, redact: Redactor) {
    this.pool = pool;
    this.redact = redact;
  }

  /** Runs a write after the earlier writes of the same session. */
  private inOrder(sessionId: string, write: () => Promise<void>): Promise<void> {
    const before = this.pending.get(sessionId) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(write);
    const settled = next.catch(() => undefined);
    this.pending.set(sessionId, settled);
    void settled.then(() => {
      if (this.pending.get(sessionId) === settled) this.pending.delete(sessionId);
    });
    return next;
  }

  /** Reads see this process's earlier writes of the session. */
  async settled(sessionId: string): Promise<void> {
    await this.pending.get(sessionId);
  }

  /** Every pending write (before closing). */
  async drain(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }

  append(original: RunEvent): Promise<void> {
    const body = this.redact(JSON.stringify(original));
    return this.inOrder(original.runId, async () => {
      const insert = (db: Queryable) =>
        db.query('INSERT INTO events (session_id, seq, type, time, body) VALUES ($1, $2, $3, $4, $5)', [original.runId, original.seq, original.type, original.time, body]);
      if (original.type === 'run.started' || original.type === 'run.resumed') {
        const event = JSON.parse(body) as typeof original; // the goal and title stored in sessions are redacted too
        const conversation = event.type === 'run.started' ? (event.conversationId ?? null) : null;
        await inTransaction(this.pool, async (client) => {
          await client.query(
            `INSERT INTO sessions (id, title, goal, status, model, created_at, updated_at, conversation_id) VALUES ($1, $2, $3, 'running', $4, $5, $5, $6)
             ON CONFLICT (id) DO UPDATE SET status = 'running', model = excluded.model, updated_at = excluded.updated_at,
               conversation_id = COALESCE(sessions.conversation_id, excluded.conversation_id)`,
            [event.runId, titleOf(event.goal), event.goal, event.model ?? null, event.time, conversation],
          );
          await insert(client);
        });
      } else if (original.type === 'run.finished') {
        const { status, steps, usage } = original;
        await inTransaction(this.pool, async (client) => {
          await client.query('UPDATE sessions SET status = $1, steps = $2, prompt_tokens = $3, completion_tokens = $4, updated_at = $5 WHERE id = $6', [
            status, steps, usage.promptTokens, usage.completionTokens, original.time, original.runId,
          ]);
          await insert(client);
        });
      } else if (original.type === 'model.completed') {
        await inTransaction(this.pool, async (client) => {
          await client.query('UPDATE sessions SET updated_at = $1, steps = GREATEST(steps, $2) WHERE id = $3', [original.time, original.step, original.runId]);
          await insert(client);
        });
      } else {
        await insert(this.pool);
      }
    });
  }

  async list(limit: number): Promise<SessionSummary[]> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions ORDER BY updated_at DESC, id LIMIT $1', [limit]);
    return rows.map(toSummary);
  }

  async delete(id: string): Promise<boolean> {
    await this.settled(id);
    return ((await this.pool.query('DELETE FROM sessions WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async get(id: string): Promise<SessionSummary | undefined> {
    await this.settled(id);
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return rows[0] && toSummary(rows[0]);
  }

  async events(id: string, query: EventQuery): Promise<RunEvent[]> {
    await this.settled(id);
    const { rows } = await this.pool.query<{ body: string }>(
      'SELECT body FROM events WHERE session_id = $1 AND seq > $2 AND time >= $3 AND time <= $4 ORDER BY seq',
      [id, query.afterSeq ?? 0, query.since ?? '', query.until ?? '\uffff'],
    );
    return rows.map((row) => JSON.parse(row.body) as RunEvent);
  }

  async lastSeq(id: string): Promise<number> {
    await this.settled(id);
    const { rows } = await this.pool.query<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM events WHERE session_id = $1', [id]);
    return rows[0]?.seq ?? 0;
  }

  saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const state = this.redact(JSON.stringify({ run: checkpoint.run, working: checkpoint.working }));
    return this.inOrder(checkpoint.sessionId, async () => {
      await this.pool.query(
        `INSERT INTO checkpoints (session_id, step, seq, state, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id) DO UPDATE SET step = excluded.step, seq = excluded.seq, state = excluded.state, updated_at = excluded.updated_at`,
        [checkpoint.sessionId, checkpoint.step, checkpoint.seq, state, new Date().toISOString()],
      );
    });
  }

  async loadCheckpoint(sessionId: string): Promise<Checkpoint | undefined> {
    await this.settled(sessionId);
    const { rows } = await this.pool.query<{ step: number; seq: number; state: string }>('SELECT step, seq, state FROM checkpoints WHERE session_id = $1', [sessionId]);
    const row = rows[0];
    if (!row) return undefined;
    const state = JSON.parse(row.state) as Pick<Checkpoint, 'run' | 'working'>;
    return { sessionId, step: row.step, seq: row.seq, ...state };
  }
}
