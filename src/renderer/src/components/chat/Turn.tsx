// One turn of a conversation: the user's message (edit and resend; switch between its versions), then the run's
// timeline with its answer (copy, regenerate).
import { useState, type ReactNode } from 'react';
import type { FeedbackVerdict, RunFeedback } from '../../../../common/index.ts';
import type { CitedPassage } from '../../citations.tsx';
import { runStats, type RunView } from '../../run-state.ts';
import { duration } from '../../time.ts';
import { CopyButton } from '../common/CopyButton.tsx';
import { Feedback } from './Feedback.tsx';
import { RunTimeline } from './RunTimeline.tsx';

interface Props {
  run: RunView;
  current: boolean;
  goal: string | undefined;
  versions: string[];
  busy: boolean;
  waitingTools: string[];
  onBranch: (goal: string) => void;
  onShowVersion: (runId: string) => void;
  feedback: RunFeedback | undefined;
  onFeedback: (verdict: FeedbackVerdict, reason?: string) => Promise<void>;
  onOpenSource: (passage: CitedPassage) => void;
  children?: ReactNode;
}

export function Turn({ run, current, goal, versions, busy, waitingTools, onBranch, onShowVersion, feedback, onFeedback, onOpenSource, children }: Props) {
  const [editing, setEditing] = useState(false);
  const [details, setDetails] = useState(false);
  const [draft, setDraft] = useState('');
  const index = versions.indexOf(run.runId);
  const answer = run.finished?.answer ?? run.items.filter((i) => i.kind === 'text').map((i) => i.text).join('');
  const save = () => {
    if (!draft.trim()) return;
    setEditing(false);
    onBranch(draft.trim());
  };
  return (
    <section className="run" aria-label={current ? 'Current run' : 'Earlier turn'}>
      {goal && !editing && (
        <div className="user-turn">
          <div className="user-bubble">{goal}</div>
          <div className="message-actions" aria-label="Prompt actions">
            {versions.length > 1 && (
              <span className="versions" aria-label={`Version ${index + 1} of ${versions.length}`}>
                <button type="button" className="ghost-button" aria-label="Previous version" disabled={index <= 0 || busy} onClick={() => { onShowVersion(versions[index - 1]!); }}>‹</button>
                <span>{index + 1}/{versions.length}</span>
                <button type="button" className="ghost-button" aria-label="Next version" disabled={index >= versions.length - 1 || busy} onClick={() => { onShowVersion(versions[index + 1]!); }}>›</button>
              </span>
            )}
            <CopyButton text={goal} label="Copy prompt" />
            <button type="button" className="ghost-button" disabled={busy} onClick={() => { setDraft(goal); setEditing(true); }}>
              Edit
            </button>
          </div>
        </div>
      )}
      {editing && (
        <form className="edit-turn" onSubmit={(e) => { e.preventDefault(); save(); }}>
          <textarea aria-label="Edit prompt" className="composer-input" value={draft} rows={3} autoFocus onChange={(e) => { setDraft(e.target.value); }} onKeyDown={(e) => { if (e.key === 'Escape') setEditing(false); if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) { e.preventDefault(); save(); } }} />
          <div className="row">
            <button type="submit" className="button primary" disabled={!draft.trim()}>Send edited</button>
            <button type="button" className="button" onClick={() => { setEditing(false); }}>Cancel</button>
            <span className="muted small">The earlier version stays: switch with ‹ ›.</span>
          </div>
        </form>
      )}
      <RunTimeline run={run} waitingTools={waitingTools} details={details} onOpenSource={onOpenSource} />
      {run.finished && (
        <div className="message-actions answer-actions" aria-label="Answer actions">
          {answer && <CopyButton text={answer} label="Copy answer" />}
          {goal && (
            <button type="button" className="ghost-button" disabled={busy} onClick={() => { onBranch(goal); }}>
              Regenerate
            </button>
          )}
          {run.finished.status === 'completed' && <Feedback feedback={feedback} onFeedback={onFeedback} />}
          <button type="button" className="ghost-button" aria-expanded={details} onClick={() => { setDetails(!details); }}>
            {details ? 'Hide details' : 'Details'}
          </button>
        </div>
      )}
      {details && run.finished && <RunDetails run={run} />}
      {children}
    </section>
  );
}

/** Per run: model, time to first token, speed and tokens (the per-step counts show in the timeline above). */
function RunDetails({ run }: { run: RunView }) {
  const stats = runStats(run);
  return (
    <p className="turn-usage run-details" aria-label="Run details">
      {run.model ?? 'model'} · {stats.ttftMs !== undefined ? `first token after ${duration(stats.ttftMs)} · ` : ''}
      {stats.tokensPerSecond !== undefined ? `${stats.tokensPerSecond.toFixed(1)} tokens/s · ` : ''}
      {stats.promptTokens.toLocaleString()} prompt + {stats.completionTokens.toLocaleString()} answer tokens · model time {duration(stats.modelMs)} · run <code>{run.runId}</code>
    </p>
  );
}
