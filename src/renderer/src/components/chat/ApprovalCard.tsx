// An approval as a decision: what will happen in plain words, the arguments as a table (code highlighted), why it
// asks (rule, risk), and allow once / always (its exact scope) / deny with a reason.
import { useState } from 'react';
import type { PendingQuestion, UserAnswer } from '../../../../common/index.ts';
import { RISK_WORDS, ruleText } from '../../rules.ts';
import { ArgsView } from '../common/ArgsView.tsx';

interface Props {
  question: PendingQuestion;
  onAnswer: (answer: UserAnswer) => void;
}

export function ApprovalCard({ question, onAnswer }: Props) {
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(false);
  const answer = (value: UserAnswer) => {
    setSent(true);
    onAnswer(value);
  };
  const d = (question.details ?? {}) as { tool?: string; args?: unknown; rule?: string; reason?: string; risk?: string };
  const policy = question.kind === 'approval' && typeof d.tool === 'string';
  return (
    <section className="question-card" role="dialog" aria-label={`Approval: ${question.title}`}>
      <header className="question-head">
        <strong>{question.title}</strong>
        <span className="muted small">asked by {question.source}</span>
      </header>
      {policy ? (
        <>
          <p className="question-what">
            Rein wants to run <code>{d.tool}</code>
            {d.risk ? <> — it {RISK_WORDS[d.risk] ?? d.risk}</> : null}.
          </p>
          <ArgsView value={d.args} />
          <dl className="question-why">
            {d.reason && (
              <>
                <dt>Why it asks</dt>
                <dd>{d.reason}</dd>
              </>
            )}
            {d.rule && (
              <>
                <dt>Rule</dt>
                <dd title={d.rule}>{ruleText(d.rule)}</dd>
              </>
            )}
            {d.risk && (
              <>
                <dt>Risk</dt>
                <dd><span className={`risk risk-${d.risk}`}>{d.risk === 'execute' ? 'executes code' : d.risk}</span></dd>
              </>
            )}
          </dl>
        </>
      ) : (
        <>
          <p className="question-message">{question.message}</p>
          {question.details && <ArgsView value={question.details} />}
        </>
      )}
      <div className="question-actions">
        <button type="button" className="button primary" disabled={sent} onClick={() => { answer({ action: 'accept' }); }}>
          Allow once
        </button>
        {question.allowAlways && (
          <button
            type="button"
            className="button"
            disabled={sent}
            title={policy ? `From now on, ${d.tool} with exactly these arguments runs without asking (revoke under Approvals)` : undefined}
            onClick={() => { answer({ action: 'accept', always: true }); }}
          >
            Allow always
          </button>
        )}
        <span className="grow" />
        <input
          aria-label="Reason for denying"
          className="text-input"
          placeholder="Reason for the model (optional)"
          value={reason}
          onChange={(event) => { setReason(event.target.value); }}
        />
        <button type="button" className="button danger" disabled={sent} onClick={() => { answer({ action: 'decline', ...(reason.trim() ? { reason: reason.trim() } : {}) }); }}>
          Deny
        </button>
      </div>
      {question.allowAlways && policy && (
        <p className="muted small scope-note">“Allow always” covers {d.tool} with exactly these arguments; revoke it under Approvals.</p>
      )}
    </section>
  );
}
