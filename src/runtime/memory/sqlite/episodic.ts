// The episodic log (every event of every session), session summaries and checkpoints in SQLite.
import type { RunEvent } from '../../../common/index.ts';
import type { Checkpoint, EventQuery, SessionSummary } from '../store.ts';
import { titleOf, toSummary, type SessionRow } from '../rows.ts';
import type { Redactor } from '../../base/index.ts';
import type { Db } from './open-database.ts';

/** Session rows with the conversation recorded in their run.started event. */
const SESSION_ROWS = `SELECT sessions.*, (SELECT json_extract(body, '$.conversationId') FROM events
  WHERE events.session_id = sessions.id AND events.type = 'run.started' ORDER BY seq LIMIT 1) AS conversation_id FROM sessions`;

export class EpisodicTables {
  private readonly db: Db;
  private readonly insertEvent;
  private readonly upsertSession;
  private readonly finishSession;
  private readonly touchSession;
  private readonly upsertCheckpoint;
  private readonly appendTransaction;
  private readonly redact: Redactor;

  constructor(db: Db, redact: Redactor) {
    this.db = db;
    this.redact = redact;
    this.insertEvent = db.prepare('INSERT INTO events (session_id, seq, type, time, body) VALUES (?, ?, ?, ?, ?)');
    this.upsertSession = db.prepare(
      `INSERT INTO sessions (id, title, goal, status, model, created_at, updated_at) VALUES (@id, @title, @goal, 'running', @model, @time, @time)
       ON CONFLICT(id) DO UPDATE SET status = 'running', model = @model, updated_at = @time`,
    );
    this.finishSession = db.prepare(
      'UPDATE sessions SET status = @status, steps = @steps, prompt_tokens = @prompt, completion_tokens = @completion, updated_at = @time WHERE id = @id',
    );
    this.touchSession = db.prepare('UPDATE sessions SET updated_at = ?, steps = MAX(steps, ?) WHERE id = ?');
    this.upsertCheckpoint = db.prepare(
      `INSERT INTO checkpoints (session_id, step, seq, state, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(session_id) DO UPDATE SET step = excluded.step, seq = excluded.seq, state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.appendTransaction = db.transaction((event: RunEvent, body: string) => {
      if (event.type === 'run.started' || event.type === 'run.resumed') {
        this.upsertSession.run({ id: event.runId, title: titleOf(event.goal), goal: event.goal, model: event.model, time: event.time });
      } else if (event.type === 'run.finished') {
        const { status, steps, usage } = event;
        this.finishSession.run({ id: event.runId, status, steps, prompt: usage.promptTokens, completion: usage.completionTokens, time: event.time });
      } else if (event.type === 'model.completed') {
        this.touchSession.run(event.time, event.step, event.runId);
      }
      this.insertEvent.run(event.runId, event.seq, event.type, event.time, body);
    });
  }

  append(original: RunEvent): void {
    const body = this.redact(JSON.stringify(original));
    if (original.type === 'run.started' || original.type === 'run.resumed') {
      this.appendTransaction(JSON.parse(body) as RunEvent, body); // the goal and title stored in sessions are redacted too
    } else if (original.type === 'run.finished' || original.type === 'model.completed') {
      this.appendTransaction(original, body); // only ids, numbers and times go to the session row
    } else {
      this.insertEvent.run(original.runId, original.seq, original.type, original.time, body); // one row: its own transaction
    }
  }

  list(limit: number): SessionSummary[] {
    const rows = this.db.prepare(`${SESSION_ROWS} ORDER BY updated_at DESC, id LIMIT ?`).all(limit) as SessionRow[];
    return rows.map(toSummary);
  }

  /** Removes a session with its events and checkpoint (cascade). */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
  }

  get(id: string): SessionSummary | undefined {
    const row = this.db.prepare(`${SESSION_ROWS} WHERE id = ?`).get(id) as SessionRow | undefined;
    return row && toSummary(row);
  }

  events(id: string, query: EventQuery): RunEvent[] {
    const rows = this.db
      .prepare(
        `SELECT body FROM events WHERE session_id = ? AND seq > ? AND time >= ? AND time <= ? ORDER BY seq`,
      )
      .all(id, query.afterSeq ?? 0, query.since ?? '', query.until ?? '\uffff') as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as RunEvent);
  }

  lastSeq(id: string): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM events WHERE session_id = ?').get(id) as { seq: number | null };
    return row.seq ?? 0;
  }

  saveCheckpoint(checkpoint: Checkpoint): void {
    const state = this.redact(JSON.stringify({ run: checkpoint.run, working: checkpoint.working }));
    this.upsertCheckpoint.run(checkpoint.sessionId, checkpoint.step, checkpoint.seq, state, new Date().toISOString());
  }

  loadCheckpoint(sessionId: string): Checkpoint | undefined {
    const row = this.db.prepare('SELECT step, seq, state FROM checkpoints WHERE session_id = ?').get(sessionId) as
      | { step: number; seq: number; state: string }
      | undefined;
    if (!row) return undefined;
    const state = JSON.parse(row.state) as Pick<Checkpoint, 'run' | 'working'>;
    return { sessionId, step: row.step, seq: row.seq, ...state };
  }
}
