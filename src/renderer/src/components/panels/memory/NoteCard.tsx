// One memory note: its text (edited in place: Enter saves, Escape cancels), provenance, and pin / edit / delete.
import { useState, type KeyboardEvent } from 'react';
import type { MemoryNote } from '../../../../../common/index.ts';
import { when } from '../../../time.ts';

export interface NoteActions {
  /** Resolves true when saved (the editor closes), false when refused (the reason is shown by the panel). */
  save(note: MemoryNote, text: string): Promise<boolean>;
  pin(note: MemoryNote, pinned: boolean): void;
  remove(note: MemoryNote): void;
}

export function NoteCard({ note, actions }: { note: MemoryNote; actions: NoteActions }) {
  const [draft, setDraft] = useState<string>();
  const [saving, setSaving] = useState(false);
  const save = () => {
    if (draft === undefined || saving) return;
    if (draft.trim() === note.text) {
      setDraft(undefined);
      return;
    }
    setSaving(true);
    void actions.save(note, draft).then((saved) => {
      setSaving(false);
      if (saved) setDraft(undefined);
    });
  };
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape' && !saving) {
      event.preventDefault();
      setDraft(undefined);
    }
  };
  return (
    <li className={`card note${note.pinned ? ' note-pinned' : ''}`} aria-label={`Note ${note.id}`}>
      {draft === undefined ? (
        <p className="note-text">{note.text}</p>
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
            <button type="button" className="link-button" onClick={() => { actions.pin(note, !note.pinned); }}>{note.pinned ? 'Unpin' : 'Pin'}</button>
            <button type="button" className="link-button" onClick={() => { setDraft(note.text); }}>Edit</button>
            <button type="button" className="link-button" onClick={() => { actions.remove(note); }}>Delete</button>
          </>
        ) : (
          <>
            <button type="button" className="link-button" onClick={save} disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
            <button type="button" className="link-button" onClick={() => { setDraft(undefined); }} disabled={saving}>Cancel</button>
            <span id={`note-edit-hint-${note.id}`} className="muted small">Enter saves · Shift+Enter new line · Escape cancels</span>
          </>
        )}
      </div>
    </li>
  );
}

function provenanceText(note: MemoryNote): string {
  const { source, sessionId, step } = note.provenance;
  const where = sessionId ? ` in ${sessionId}${step !== undefined ? ` step ${step}` : ''}` : '';
  const used = note.lastUsedAt ? ` · last used ${when(note.lastUsedAt)}` : '';
  return `note ${note.id} · ${note.kind} from ${source}${where} · ${when(note.createdAt)}${used}`;
}
