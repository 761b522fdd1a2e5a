import type { ModelStatus, RunSummary } from '../../../common/index.ts';
import { conversationsOf } from '../conversations.ts';

export const PANELS = [
  { id: 'chat', label: 'Chat' },
  { id: 'setup', label: 'Models' },
  { id: 'approvals', label: 'Approvals' },
  { id: 'skills', label: 'Skills' },
  { id: 'memory', label: 'Memory' },
  { id: 'knowledge', label: 'Knowledge' },
  { id: 'mcp', label: 'MCP servers' },
  { id: 'schedules', label: 'Schedules' },
  { id: 'traces', label: 'Traces' },
] as const;
export type PanelId = (typeof PANELS)[number]['id'];

interface Props {
  panel: PanelId;
  runs: RunSummary[];
  currentRunId: string | undefined;
  pendingQuestions: number;
  model: ModelStatus | undefined;
  onPanel: (panel: PanelId) => void;
  onSelectRun: (runId: string | undefined) => void;
}

const STATUS_TONE: Record<RunSummary['status'], string> = { running: 'pending', completed: 'good', stopped: 'warn', failed: 'bad', interrupted: 'warn' };

export function Sidebar({ panel, runs, currentRunId, pendingQuestions, model, onPanel, onSelectRun }: Props) {
  return (
    <aside className="sidebar">
      <div className="brand-row">
        <span className="brand">Rein</span>
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
      <ul className="sessions" aria-label="Sessions">
        {runs.length === 0 && <li className="muted small">No sessions yet.</li>}
        {conversationsOf(runs).map(({ id, title, latest, runIds }) => (
          <li key={id}>
            <button
              type="button"
              className="session"
              aria-current={currentRunId && runIds.includes(currentRunId) ? 'true' : undefined}
              onClick={() => { onSelectRun(latest.runId); }}
              title={title}
            >
              <span className={`dot dot-${STATUS_TONE[latest.status]}`} aria-label={latest.status} />
              <span className="session-goal">{title.split('\n')[0] || id}</span>
              {runIds.length > 1 && <span className="turn-count" aria-label={`${runIds.length} turns`}>{runIds.length}</span>}
            </button>
          </li>
        ))}
      </ul>
      <footer className="model-footer" aria-label="Model status">
        {model ? (
          <>
            <span className={`dot dot-${model.reachable && model.present ? 'good' : model.reachable ? 'warn' : 'bad'}`} />
            <span title={model.host}>{model.model}</span>
            <span className="muted small">{model.reachable ? (model.present ? 'ready' : 'not pulled') : 'Ollama unreachable'}</span>
          </>
        ) : (
          <span className="muted small">checking model…</span>
        )}
      </footer>
    </aside>
  );
}
