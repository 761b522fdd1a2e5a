import { useState } from 'react';
import type { MemoryNote, RunEvent, RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';

/** Semantic notes (search, provenance, delete) and past sessions with their episodic log. */
export function MemoryPanel({ client }: { client: RuntimeApi }) {
  const [query, setQuery] = useState('');
  const [notes, reloadNotes] = useLoad(() => (query.trim() ? client.memory.searchNotes(query, 50) : Promise.resolve([])), [client, query]);
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
            {list.length === 0 && <li className="muted">{query.trim() ? 'No notes match.' : 'Type to search remembered facts, compaction summaries and session notes.'}</li>}
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
                  {s.status} · {s.steps} steps · {s.usage.promptTokens + s.usage.completionTokens} tokens · {s.startedAt}
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
  const used = note.lastUsedAt ? ` · last used ${note.lastUsedAt}` : '';
  return `note ${note.id} · ${note.kind} from ${source}${where} · ${note.createdAt}${used}`;
}

function Episodes({ client, sessionId }: { client: RuntimeApi; sessionId: string }) {
  const [episodes] = useLoad(() => client.memory.episodes(sessionId), [client, sessionId]);
  return (
    <LoadView load={episodes}>
      {(list) => (
        <ol className="episodes" aria-label="Episodic log">
          {list.map((event) => <li key={event.seq}><span className="muted small">#{event.seq} {event.time} · {event.type}</span> {eventText(event)}</li>)}
        </ol>
      )}
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
      return event.text;
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
