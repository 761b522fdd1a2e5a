import { useEffect, useState } from 'react';
import type { ConversationMatch, ModelStatus, RunSummary } from '../../../common/index.ts';
import { conversationsOf, type Conversation } from '../conversations.ts';
import type { ThemeChoice } from '../theme.ts';
import { stateWord } from '../model-choice.ts';
import { ConversationItem } from './ConversationItem.tsx';

import { PANELS, type PanelId } from '../panels.ts';

export { PANELS, type PanelId };

export interface ConversationActions {
  rename: (conversation: Conversation, title: string) => void;
  /** `memory`: also forget its sessions and the notes written in them. */
  remove: (conversation: Conversation, memory: boolean) => void;
  exportAs: (conversation: Conversation, format: 'markdown' | 'json') => void;
}

interface Props {
  panel: PanelId;
  runs: RunSummary[];
  titles: Record<string, string>;
  currentRunId: string | undefined;
  pendingQuestions: number;
  model: ModelStatus | undefined;
  theme: ThemeChoice;
  search: (query: string) => Promise<ConversationMatch[]>;
  actions: ConversationActions;
  onTheme: (theme: ThemeChoice) => void;
  onPanel: (panel: PanelId) => void;
  onSelectRun: (runId: string | undefined) => void;
  onCollapse: () => void;
}

export function Sidebar({ panel, runs, titles, currentRunId, pendingQuestions, model, theme, search, actions, onTheme, onPanel, onSelectRun, onCollapse }: Props) {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<ConversationMatch[]>();
  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setMatches(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => { search(text).then((found) => { if (live) setMatches(found); }, () => { if (live) setMatches([]); }); }, 200);
    return () => { live = false; clearTimeout(timer); };
  }, [query, search]);

  const conversations = conversationsOf(runs).map((c) => ({ ...c, title: titles[c.id] ?? c.title }));
  const snippets = new Map(matches?.map((m) => [m.conversationId, m]) ?? []);
  const shown = matches ? conversations.filter((c) => snippets.has(c.id)) : conversations;

  return (
    <aside className="sidebar" id="sidebar">
      <div className="brand-row">
        <span className="brand">Rein</span>
        <button type="button" className="ghost-button" aria-label="Collapse sidebar" title="Collapse sidebar (Ctrl+B)" onClick={onCollapse}>
          «
        </button>
      </div>
      <nav aria-label="Panels" className="nav">
        {PANELS.map(({ id, label }) => (
          <button key={id} type="button" className="nav-item" aria-current={panel === id ? 'page' : undefined} onClick={() => { onPanel(id); }}>
            {label}
            {id === 'approvals' && pendingQuestions > 0 && <span className="count">{pendingQuestions}</span>}
          </button>
        ))}
      </nav>
      <div className="sessions-head">
        <span>Sessions</span>
        <button type="button" className="link-button" onClick={() => { onSelectRun(undefined); }}>
          New chat
        </button>
      </div>
      <div className="session-search">
        <input type="search" aria-label="Search conversations" className="text-input" placeholder="Search titles and messages…" value={query} onChange={(e) => { setQuery(e.target.value); }} />
      </div>
      <ul className="sessions" aria-label="Sessions">
        {runs.length === 0 && <li className="muted small">No sessions yet.</li>}
        {matches && shown.length === 0 && <li className="muted small">Nothing matches “{query.trim()}”.</li>}
        {shown.map((conversation) => (
          <ConversationItem
            key={conversation.id}
            conversation={conversation}
            current={Boolean(currentRunId && conversation.runIds.includes(currentRunId))}
            snippet={snippets.get(conversation.id)?.snippet}
            actions={actions}
            onOpen={() => { onSelectRun(snippets.get(conversation.id)?.runId ?? conversation.latest.runId); }}
          />
        ))}
      </ul>
      <footer className="model-footer" aria-label="Model status">
        <div className="model-line">
          {model ? (
            <>
              <span className={`dot dot-${stateWord(model).tone}`} />
              <span title={`${model.provider} at ${model.host}`} className="model-name-line">{model.model}</span>
              {model.cloud && <span className="badge-cloud" title="This model runs on another machine">cloud</span>}
              <span className="muted small">{stateWord(model).word}</span>
            </>
          ) : (
            <span className="muted small">checking model…</span>
          )}
        </div>
        <label className="theme-pick">
          <span className="muted small">Theme</span>
          <select aria-label="Theme" value={theme} onChange={(e) => { onTheme(e.target.value as ThemeChoice); }}>
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </footer>
    </aside>
  );
}
