// The notes part of the Memory panel: pinned notes first (what every run starts with), then the newest or the search
// results; each note can be pinned, edited in place or deleted, and a delete can be undone for a few seconds.
import { useCallback, useState } from 'react';
import { PINNED_NOTES_LIMIT, type MemoryNote, type RuntimeApi } from '../../../../../common/index.ts';
import { errorText } from '../../../client.ts';
import { useLoad } from '../../../use-load.ts';
import { LoadView } from '../../common/LoadView.tsx';
import { UndoToast } from '../../common/UndoToast.tsx';
import { NoteCard, type NoteActions } from './NoteCard.tsx';

export function MemoryNotes({ client }: { client: RuntimeApi }) {
  const [query, setQuery] = useState('');
  const searching = query.trim() !== '';
  const [notes, reloadNotes] = useLoad(() => (searching ? client.memory.searchNotes(query, 50) : client.memory.recentNotes(30)), [client, query]);
  const [pinned, reloadPinned] = useLoad(() => client.memory.pinnedNotes(), [client]);
  const [undoFailed, setUndoFailed] = useState<string>();
  const [deleted, setDeleted] = useState<MemoryNote>();
  const [restoring, setRestoring] = useState(false);
  const reload = () => {
    reloadNotes();
    reloadPinned();
  };
  /** Runs a card's action, then reloads both lists; resolves to why it failed. */
  const done = (call: Promise<unknown>, after?: () => void) =>
    call.then(
      () => { after?.(); reload(); return undefined; },
      (err: unknown) => errorText(err),
    );
  const actions: NoteActions = {
    save: (note, text) => done(client.memory.editNote(note.id, text)),
    pin: (note, pin) => done(client.memory.pinNote(note.id, pin)),
    remove: (note) => done(client.memory.deleteNote(note.id), () => { setUndoFailed(undefined); setDeleted(note); }),
  };
  const undo = () => {
    if (!deleted) return;
    setRestoring(true);
    client.memory.restoreNote(deleted.id).then(
      () => { setDeleted(undefined); reload(); },
      (err: unknown) => { setUndoFailed(errorText(err)); },
    ).finally(() => { setRestoring(false); });
  };
  const expire = useCallback(() => { setDeleted(undefined); setUndoFailed(undefined); }, []);
  const pinnedIds = new Set(pinned.state === 'ready' ? pinned.data.map((n) => n.id) : []);
  return (
    <>
      <input aria-label="Search notes" className="text-input" placeholder="Search notes…" value={query} onChange={(e) => { setQuery(e.target.value); }} />
      {!searching && (
        <LoadView load={pinned}>
          {(list) => (
            <div role="group" aria-labelledby="pinned-notes-heading">
              <h3 id="pinned-notes-heading">Pinned</h3>
              <p className="muted small">{pinnedSummary(list)}</p>
              {list.length > 0 && (
                <ul className="cards" aria-label="Pinned notes">
                  {list.map((note) => <NoteCard key={note.id} note={note} actions={actions} />)}
                </ul>
              )}
            </div>
          )}
        </LoadView>
      )}
      {!searching && <h3>Recent</h3>}
      <LoadView load={notes}>
        {(all) => {
          const list = searching ? all : all.filter((n) => !pinnedIds.has(n.id));
          return (
            <ul className="cards" aria-label="Notes">
              {list.length === 0 && <li className="muted">{searching ? 'No notes match.' : all.length ? 'Every recent note is pinned.' : 'Nothing remembered yet: facts the model saves, compaction summaries and session notes show up here.'}</li>}
              {list.map((note) => <NoteCard key={note.id} note={note} actions={actions} />)}
            </ul>
          );
        }}
      </LoadView>
      {deleted && <UndoToast key={deleted.id} message={`Note ${deleted.id} deleted`} onUndo={undo} onExpire={expire} busy={restoring} problem={undoFailed} />}
    </>
  );
}

function pinnedSummary(list: MemoryNote[]): string {
  const characters = list.reduce((sum, n) => sum + n.text.length, 0);
  const { notes, characters: most } = PINNED_NOTES_LIMIT;
  const bound = `${list.length} of ${notes} notes · ${characters.toLocaleString('en')} of ${most.toLocaleString('en')} characters`;
  return list.length
    ? `Given to the model at the start of every run, before recalled notes · ${bound}`
    : `No pinned notes. Pin a note to give it to the model at the start of every run (up to ${notes} notes, ${most.toLocaleString('en')} characters).`;
}
