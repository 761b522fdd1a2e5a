import { useState } from 'react';
import type { PendingQuestion, UserAnswer } from '../../../../common/index.ts';
import { Json } from '../common/LoadView.tsx';

interface Props {
  question: PendingQuestion;
  onAnswer: (answer: UserAnswer) => void;
}

/** A question the runtime waits on (approval, elicitation): the full detail, allow once/always, or deny with a reason. */
export function QuestionCard({ question, onAnswer }: Props) {
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(false);
  const answer = (value: UserAnswer) => {
    setSent(true);
    onAnswer(value);
  };
  return (
    <section className="question-card" role="dialog" aria-label={`Approval: ${question.title}`}>
      <header className="question-head">
        <strong>{question.title}</strong>
        <span className="muted"> · asked by {question.source}</span>
      </header>
      <p className="question-message">{question.message}</p>
      {question.details && <Json value={question.details} />}
      <div className="question-actions">
        <button type="button" className="button primary" disabled={sent} onClick={() => { answer({ action: 'accept' }); }}>
          Allow once
        </button>
        {question.allowAlways && (
          <button type="button" className="button" disabled={sent} onClick={() => { answer({ action: 'accept', always: true }); }}>
            Allow always
          </button>
        )}
        <input
          aria-label="Reason for denying"
          className="text-input"
          placeholder="Reason (optional)"
          value={reason}
          onChange={(event) => { setReason(event.target.value); }}
        />
        <button type="button" className="button danger" disabled={sent} onClick={() => { answer({ action: 'decline', ...(reason.trim() ? { reason: reason.trim() } : {}) }); }}>
          Deny
        </button>
      </div>
    </section>
  );
}
