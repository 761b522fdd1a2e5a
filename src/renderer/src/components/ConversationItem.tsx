// One conversation in the sidebar: open it; rename, export or delete it from its menu.
import { useState } from 'react';
import type { RunSummary } from '../../../common/index.ts';
import type { Conversation } from '../conversations.ts';
import type { ConversationActions } from './Sidebar.tsx';

const STATUS_TONE: Record<RunSummary['status'], string> = { running: 'pending', completed: 'good', stopped: 'warn', failed: 'bad', interrupted: 'warn' };

interface Props {
  conversation: Conversation;
  current: boolean;
  snippet: string | undefined;
  actions: ConversationActions;
  onOpen: () => void;
}

export function ConversationItem({ conversation, current, snippet, actions, onOpen }: Props) {
  const { id, title, latest, runIds } = conversation;
  const [menu, setMenu] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(title);
  const [confirming, setConfirming] = useState(false);
  const label = title.split('\n')[0] || id;

  if (renaming) {
    return (
      <li>
        <form className="session-rename" onSubmit={(e) => { e.preventDefault(); setRenaming(false); actions.rename(conversation, draft); }}>
          <input aria-label="Conversation title" className="text-input" value={draft} autoFocus onChange={(e) => { setDraft(e.target.value); }} onKeyDown={(e) => { if (e.key === 'Escape') setRenaming(false); }} />
        </form>
      </li>
    );
  }
  return (
    <li className="session-row" aria-label={`Conversation ${label}`}>
      <button type="button" className="session" aria-current={current ? 'true' : undefined} onClick={onOpen} title={title}>
        <span className={`dot dot-${STATUS_TONE[latest.status]}`} aria-label={latest.status} />
        <span className="session-text">
          <span className="session-goal">{label}</span>
          {snippet && snippet !== title && <span className="session-snippet">{snippet}</span>}
        </span>
        {runIds.length > 1 && <span className="turn-count" aria-label={`${runIds.length} turns`}>{runIds.length}</span>}
      </button>
      <button type="button" className="ghost-button session-menu-button" aria-label={`Actions for ${label}`} aria-expanded={menu} onClick={() => { setMenu(!menu); setConfirming(false); }}>
        ⋯
      </button>
      {menu && (
        <div className="session-menu" role="group" aria-label={`Manage ${label}`}>
          <button type="button" className="ghost-button" onClick={() => { setMenu(false); setDraft(label); setRenaming(true); }}>Rename</button>
          <button type="button" className="ghost-button" onClick={() => { setMenu(false); actions.exportAs(conversation, 'markdown'); }}>Export Markdown</button>
          <button type="button" className="ghost-button" onClick={() => { setMenu(false); actions.exportAs(conversation, 'json'); }}>Export JSON</button>
          {confirming ? (
            <>
              <button type="button" className="ghost-button danger-text" onClick={() => { setMenu(false); actions.remove(conversation, false); }}>Delete, keep its memory</button>
              <button type="button" className="ghost-button danger-text" onClick={() => { setMenu(false); actions.remove(conversation, true); }}>Delete with its memory</button>
            </>
          ) : (
            <button type="button" className="ghost-button danger-text" onClick={() => { setConfirming(true); }}>Delete…</button>
          )}
        </div>
      )}
    </li>
  );
}
