// One memory note: its text (edited in place: Enter saves, Escape cancels), provenance, and pin / edit / delete.
import { useState, type KeyboardEvent } from 'react';
import type { MemoryNote } from '../../../../../common/index.ts';
import { when } from '../../../time.ts';

/** Each resolves to why it failed (shown on the card, where the user is looking), or undefined when done. */
/** Notes longer than this (compaction summaries, say) show their first lines until expanded. */
const LONG_NOTE = 400;

export interface NoteActions {
  save(note: MemoryNote, text: string): Promise<string | undefined>;
  pin(note: MemoryNote, pinned: boolean): Promise<string | undefined>;
  remove(note: MemoryNote): Promise<string | undefined>;
}

export function NoteCard({ note, actions }: { note: MemoryNote; actions: NoteActions }) {
  const [draft, setDraft] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [expanded, setExpanded] = useState(false);
  const long = note.text.length > LONG_NOTE;
  const act = (action: Promise<string | undefined>) => { void action.then(setProblem); };
  const save = () => {
    if (draft === undefined || saving) return;
    if (draft.trim() === note.text) {
      setDraft(undefined);
      return;
    }
    setSaving(true);
    void actions.save(note, draft).then((failure) => {
      setSaving(false);
      setProblem(failure);
      if (!failure) setDraft(undefined);
    });
  };
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape' && !saving) {
      event.preventDefault();
      setProblem(undefined);
      setDraft(undefined);
    }
  };
  return (
    <li className={`card note${note.pinned ? ' note-pinned' : ''}`} aria-label={`Note ${note.id}`}>
      {draft === undefined ? (
        <p className={`note-text${long && !expanded ? ' clamped' : ''}`}>{note.text}</p>
      ) : (
        <textarea
          className="text-input note-editor"
          aria-label={`Text of note ${note.id}`}
          aria-describedby={`note-edit-hint-${note.id}`}
          value={draft}
          disabled={saving}
          autoFocus
          rows={Math.min(8, Math.max(2, Math.ceil(draft.length / 80)))}
          onChange={(e) => { setDraft(e.target.value); }}
          onKeyDown={onKey}
        />
      )}
      <p className="muted small">{provenanceText(note)}</p>
      <div className="note-actions">
        {draft === undefined ? (
          <>
            <button type="button" className="link-button" onClick={() => { act(actions.pin(note, !note.pinned)); }}>{note.pinned ? 'Unpin' : 'Pin'}</button>
            <button type="button" className="link-button" onClick={() => { setProblem(undefined); setDraft(note.text); }}>Edit</button>
            <button type="button" className="link-button" onClick={() => { act(actions.remove(note)); }}>Delete</button>
            {long && <button type="button" className="link-button" aria-expanded={expanded} onClick={() => { setExpanded(!expanded); }}>{expanded ? 'Show less' : 'Show all'}</button>}
          </>
        ) : (
          <>
            <button type="button" className="link-button" onClick={save} disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
            <button type="button" className="link-button" onClick={() => { setProblem(undefined); setDraft(undefined); }} disabled={saving}>Cancel</button>
            <span id={`note-edit-hint-${note.id}`} className="muted small">Enter saves · Shift+Enter new line · Escape cancels</span>
          </>
        )}
      </div>
      {problem && <p className="error-line" role="alert">{problem}</p>}
    </li>
  );
}

function provenanceText(note: MemoryNote): string {
  const { source, sessionId, step } = note.provenance;
  const where = sessionId ? ` in ${sessionId}${step !== undefined ? ` step ${step}` : ''}` : '';
  const used = note.lastUsedAt ? ` · last used ${when(note.lastUsedAt)}` : '';
  return `note ${note.id} · ${note.kind} from ${source}${where} · ${when(note.createdAt)}${used}`;
}
