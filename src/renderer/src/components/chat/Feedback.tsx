// Thumbs on an answer, recorded like `rein feedback` (for any run, with or without skills), with an optional reason.
import { useState } from 'react';
import type { FeedbackVerdict, RunFeedback } from '../../../../common/index.ts';
import { Icon } from '../common/Icon.tsx';

interface Props {
  feedback: RunFeedback | undefined;
  onFeedback: (verdict: FeedbackVerdict, reason?: string) => Promise<void>;
}

export function Feedback({ feedback, onFeedback }: Props) {
  const [asking, setAsking] = useState<FeedbackVerdict>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const give = (verdict: FeedbackVerdict, why?: string) => {
    setError(undefined);
    onFeedback(verdict, why).then(
      () => { setAsking(why === undefined ? verdict : undefined); setReason(''); },
      (err: unknown) => { setError(err instanceof Error ? err.message : String(err)); },
    );
  };
  const verdict = feedback?.verdict;
  return (
    <>
      <button type="button" className={`ghost-button thumb${verdict === 'good' ? ' chosen' : ''}`} aria-label="Good answer" aria-pressed={verdict === 'good'} title="Good answer" onClick={() => { give('good'); }}><Icon name="thumbUp" /></button>
      <button type="button" className={`ghost-button thumb${verdict === 'bad' ? ' chosen' : ''}`} aria-label="Bad answer" aria-pressed={verdict === 'bad'} title="Bad answer" onClick={() => { give('bad'); }}><Icon name="thumbDown" /></button>
      {feedback?.reason && !asking && <span className="muted small feedback-reason" title={feedback.reason}>“{feedback.reason}”</span>}
      {asking && (
        <form className="feedback-reason-form" aria-label="Why" onSubmit={(e) => { e.preventDefault(); give(asking, reason.trim()); }}>
          <input className="text-input" aria-label={asking === 'good' ? 'What was good (optional)' : 'What was wrong (optional)'} placeholder={asking === 'good' ? 'What was good? (optional)' : 'What was wrong? (optional)'} value={reason} autoFocus onChange={(e) => { setReason(e.target.value); }} onKeyDown={(e) => { if (e.key === 'Escape') setAsking(undefined); }} />
          <button type="submit" className="ghost-button" disabled={!reason.trim()}>Add</button>
          <button type="button" className="ghost-button" onClick={() => { setAsking(undefined); }}>Skip</button>
        </form>
      )}
      {error && <span className="error-line small" role="alert">{error}</span>}
    </>
  );
}
