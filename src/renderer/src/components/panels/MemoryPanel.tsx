import { useState } from 'react';
import type { RunEvent, RuntimeApi } from '../../../../common/index.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';
import { when } from '../../time.ts';
import { emptyRun, foldEvent } from '../../run-state.ts';
import { RunStatusLine } from '../chat/RunStatusLine.tsx';
import { RunTimeline } from '../chat/RunTimeline.tsx';
import { MemoryNotes } from './memory/MemoryNotes.tsx';

/** Semantic notes (pinned first; search, provenance, pin, edit, delete with undo) and past sessions with their episodic log. */
export function MemoryPanel({ client }: { client: RuntimeApi }) {
  const [sessions] = useLoad(() => client.memory.sessions(), [client]);
  const [session, setSession] = useState<string>();
  return (
    <section className="panel" aria-label="Memory">
      <h2>Memory</h2>
      <MemoryNotes client={client} />
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
    </section>
  );
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
