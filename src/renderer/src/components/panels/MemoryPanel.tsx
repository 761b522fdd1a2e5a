import { useState } from 'react';
import type { RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';

/** Semantic notes (search, provenance, delete) and past sessions with their episodic log. */
export function MemoryPanel({ client }: { client: RuntimeApi }) {
  const [query, setQuery] = useState('');
  const [notes, reloadNotes] = useLoad(() => client.memory.searchNotes(query, 50), [client, query]);
  const [sessions] = useLoad(() => client.memory.sessions(), [client]);
  const [session, setSession] = useState<string>();
  const [error, setError] = useState<string>();
  const remove = (id: string) => {
    client.memory.deleteNote(id).then(reloadNotes, (err: unknown) => { setError(errorText(err)); });
  };
  return (
    <section className="panel" aria-label="Memory">
      <h2>Memory</h2>
      <LoadView load={notes}>
        {(list) => (
          <>
            <input aria-label="Search notes" className="text-input" placeholder="Search notes…" value={query} onChange={(e) => { setQuery(e.target.value); }} />
            <ul className="cards">
              {list.length === 0 && <li className="muted">No notes{query ? ' match' : ' yet'}.</li>}
              {list.map((note) => (
                <li key={note.id} className="card">
                  <p>{note.text}</p>
                  <p className="muted small">
                    from {note.provenance.source}{note.provenance.runId ? ` (run ${note.provenance.runId})` : ''} · {note.createdAt}
                    {note.score !== undefined ? ` · score ${note.score.toFixed(2)}` : ''}
                  </p>
                  <button type="button" className="link-button" onClick={() => { remove(note.id); }}>Delete</button>
                </li>
              ))}
            </ul>
          </>
        )}
      </LoadView>
      {sessions.state === 'ready' && (
        <>
          <h3>Sessions</h3>
          <ul className="plain">
            {sessions.data.map((s) => (
              <li key={s.id}>
                <button type="button" className="link-button" onClick={() => { setSession(s.id); }}>{s.title}</button> <span className="muted small">{s.startedAt}</span>
              </li>
            ))}
          </ul>
          {session && <Episodes client={client} sessionId={session} />}
        </>
      )}
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}

function Episodes({ client, sessionId }: { client: RuntimeApi; sessionId: string }) {
  const [episodes] = useLoad(() => client.memory.episodes(sessionId), [client, sessionId]);
  return (
    <LoadView load={episodes}>
      {(list) => (
        <ol className="episodes" aria-label="Episodic log">
          {list.map((entry, i) => <li key={i}><span className="muted small">{entry.time} · {entry.kind}</span> {entry.text}</li>)}
        </ol>
      )}
    </LoadView>
  );
}
