import { useState } from 'react';
import type { MemoryNote, RunEvent, RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';
import { when } from '../../time.ts';
import { emptyRun, foldEvent } from '../../run-state.ts';
import { RunStatusLine } from '../chat/RunStatusLine.tsx';
import { RunTimeline } from '../chat/RunTimeline.tsx';

/** Semantic notes (search, provenance, delete) and past sessions with their episodic log. */
export function MemoryPanel({ client }: { client: RuntimeApi }) {
  const [query, setQuery] = useState('');
  const [notes, reloadNotes] = useLoad(() => (query.trim() ? client.memory.searchNotes(query, 50) : client.memory.recentNotes(30)), [client, query]);
  const [sessions] = useLoad(() => client.memory.sessions(), [client]);
  const [session, setSession] = useState<string>();
  const [error, setError] = useState<string>();
  const remove = (id: number) => {
    client.memory.deleteNote(id).then(reloadNotes, (err: unknown) => { setError(errorText(err)); });
  };
  return (
    <section className="panel" aria-label="Memory">
      <h2>Memory</h2>
      <input aria-label="Search notes" className="text-input" placeholder="Search notes…" value={query} onChange={(e) => { setQuery(e.target.value); }} />
      <LoadView load={notes}>
        {(list) => (
          <ul className="cards" aria-label="Notes">
            {list.length === 0 && <li className="muted">{query.trim() ? 'No notes match.' : 'Nothing remembered yet: facts the model saves, compaction summaries and session notes show up here.'}</li>}
            {list.map((note) => (
              <li key={note.id} className="card">
                <p>{note.text}</p>
                <p className="muted small">{provenanceText(note)}</p>
                <button type="button" className="link-button" onClick={() => { remove(note.id); }}>Delete</button>
              </li>
            ))}
          </ul>
        )}
      </LoadView>
      <h3>Sessions</h3>
      <LoadView load={sessions}>
        {(list) => (
          <ul className="plain" aria-label="Memory sessions">
            {list.length === 0 && <li className="muted">No sessions yet.</li>}
            {list.map((s) => (
              <li key={s.id}>
                <button type="button" className="link-button" onClick={() => { setSession(s.id); }}>{s.title}</button>{' '}
                <span className="muted small">
                  {s.status} · {s.steps} steps · {s.usage.promptTokens + s.usage.completionTokens} tokens · <time dateTime={s.startedAt}>{when(s.startedAt)}</time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </LoadView>
      {session && <Episodes client={client} sessionId={session} />}
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}

function provenanceText(note: MemoryNote): string {
  const { source, sessionId, step } = note.provenance;
  const where = sessionId ? ` in ${sessionId}${step !== undefined ? ` step ${step}` : ''}` : '';
  const used = note.lastUsedAt ? ` · last used ${when(note.lastUsedAt)}` : '';
  return `note ${note.id} · ${note.kind} from ${source}${where} · ${when(note.createdAt)}${used}`;
}


/** Streamed deltas in a row become one line, so the log reads as steps, not as chunks. */
function collapseDeltas(events: RunEvent[]): { event: RunEvent; text: string; count: number }[] {
  const out: { event: RunEvent; text: string; count: number }[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (event.type === 'model.delta' && last?.event.type === 'model.delta') {
      last.text += event.text;
      last.count += 1;
    } else out.push({ event, text: eventText(event), count: 1 });
  }
  return out;
}

function Episodes({ client, sessionId }: { client: RuntimeApi; sessionId: string }) {
  const [episodes] = useLoad(() => client.memory.episodes(sessionId), [client, sessionId]);
  return (
    <LoadView load={episodes}>
      {(list) => {
        const view = list.reduce(foldEvent, emptyRun(sessionId));
        return (
          <div className="session-timeline" aria-label="Session timeline">
            {view.goal && <div className="user-bubble">{view.goal}</div>}
            <RunTimeline run={view} />
            {view.finished && <RunStatusLine run={view} />}
            <details>
              <summary className="muted small">Event log ({list.length} events)</summary>
              <ol className="episodes" aria-label="Episodic log">
                {collapseDeltas(list).map(({ event, text, count }) => (
                  <li key={event.seq}>
                    <span className="muted small">
                      #{event.seq} <time dateTime={event.time}>{when(event.time)}</time> · {event.type}{count > 1 ? ` ×${count}` : ''}
                    </span>{' '}
                    {text}
                  </li>
                ))}
              </ol>
            </details>
          </div>
        );
      }}
    </LoadView>
  );
}

/** One line per logged event: the part a reader needs, not the full payload. */
function eventText(event: RunEvent): string {
  switch (event.type) {
    case 'run.started':
    case 'run.resumed':
      return event.goal;
    case 'model.delta':
      return event.text; // joined with its neighbours by collapseDeltas
    case 'tool.called':
      return `${event.name} ${JSON.stringify(event.args)}`;
    case 'tool.result':
      return `${event.name}: ${event.ok ? (event.output ?? '') : `error: ${event.error ?? ''}`}`;
    case 'run.finished':
      return `${event.status}${event.answer ? `: ${event.answer}` : event.reason ? `: ${event.reason}` : ''}`;
    case 'run.notice':
      return event.message;
    default:
      return '';
  }
}
