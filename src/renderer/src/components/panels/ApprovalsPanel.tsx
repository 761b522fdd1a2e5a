import { useState } from 'react';
import type { ApprovalChoice, PendingQuestion, RuntimeApi, UserAnswer } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { QuestionCard } from '../chat/QuestionCard.tsx';
import { ArgsView } from '../common/ArgsView.tsx';
import { LoadView } from '../common/LoadView.tsx';
import { ruleText } from '../../rules.ts';
import { Time } from '../common/Time.tsx';

interface Props {
  client: RuntimeApi;
  questions: PendingQuestion[];
  onAnswer: (id: string, answer: UserAnswer) => void;
}

/** Live questions of running runs, and the policy's persisted approvals (answerable after a restart). */
export function ApprovalsPanel({ client, questions, onAnswer }: Props) {
  const [pending, reload] = useLoad(() => client.approvals.pending(), [client]);
  const [history, reloadHistory] = useLoad(() => client.approvals.history(20), [client]);
  const [grants, reloadGrants] = useLoad(() => client.approvals.grants(), [client]);
  const [error, setError] = useState<string>();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const decide = (id: string, decision: ApprovalChoice) => {
    client.approvals.decide(id, decision).then(() => { reload(); reloadHistory(); reloadGrants(); }, (err: unknown) => { setError(errorText(err)); });
  };
  const revoke = (id: string) => {
    client.approvals.revokeGrant(id).then(reloadGrants, (err: unknown) => { setError(errorText(err)); });
  };
  // A request of a run that is waiting right now is answered by its question card above.
  const live = new Set(questions.map((q) => q.id));
  return (
    <section className="panel" aria-label="Approvals">
      <h2>Approvals</h2>
      <h3>Waiting now</h3>
      {questions.length === 0 && <p className="muted">No run is waiting for an answer.</p>}
      {questions.map((q) => <QuestionCard key={q.id} question={q} onAnswer={(answer) => { onAnswer(q.id, answer); }} />)}
      <h3>Policy requests</h3>
      <LoadView load={pending}>
        {(list) =>
          list.filter((r) => !live.has(r.id)).length === 0 ? <p className="muted">Nothing pending from earlier runs.</p> : (
            <ul className="cards">
              {list.filter((r) => !live.has(r.id)).map((request) => (
                <li key={request.id} className="card" aria-label={`Approval ${request.tool}`}>
                  <p className="question-what">
                    <strong>{request.tool}</strong> <span className={`risk risk-${request.risk}`}>{request.risk}</span>
                  </p>
                  <ArgsView value={request.args} />
                  <dl className="question-why">
                    <dt>Why it asks</dt>
                    <dd>{request.reason}</dd>
                    <dt>Rule</dt>
                    <dd title={request.rule}>{ruleText(request.rule)}</dd>
                    <dt>Asked</dt>
                    <dd><Time iso={request.requestedAt} /> by run <code>{request.runId}</code></dd>
                  </dl>
                  <input aria-label="Reason" className="text-input" placeholder="reason (for deny)" value={reasons[request.id] ?? ''} onChange={(e) => { setReasons({ ...reasons, [request.id]: e.target.value }); }} />
                  <div className="row">
                    <button type="button" className="button primary" onClick={() => { decide(request.id, { action: 'allow', scope: 'once' }); }}>Allow once</button>
                    <button type="button" className="button" onClick={() => { decide(request.id, { action: 'allow', scope: 'always' }); }}>Allow always</button>
                    <button type="button" className="button danger" onClick={() => { decide(request.id, { action: 'deny', scope: 'once', ...(reasons[request.id]?.trim() ? { reason: reasons[request.id]!.trim() } : {}) }); }}>Deny</button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </LoadView>
      {grants.state === 'ready' && grants.data.length > 0 && (
        <>
          <h3>Allowed always</h3>
          <ul className="plain">
            {grants.data.map((grant) => (
              <li key={grant.id} className="row" aria-label={`Grant ${grant.tool}`}>
                <span>{grant.tool} <code>{JSON.stringify(grant.args)}</code>{grant.expiresAt ? <> · until <Time iso={grant.expiresAt} /></> : ''}</span>
                <button type="button" className="link-button" onClick={() => { revoke(grant.id); }}>Revoke</button>
              </li>
            ))}
          </ul>
        </>
      )}
      {history.state === 'ready' && history.data.length > 0 && (
        <>
          <h3>Recent decisions</h3>
          <ul className="plain">
            {history.data.map((record) => (
              <li key={record.id}><Time iso={record.decidedAt} /> · {record.tool} · {record.decision.action === 'allow' ? 'allowed' : 'denied'} {record.decision.scope === 'always' ? 'always' : 'once'} by {record.decidedBy}{record.decision.reason ? `: ${record.decision.reason}` : ''}{record.expiresAt ? <> · until <Time iso={record.expiresAt} /></> : ''}</li>
            ))}
          </ul>
        </>
      )}
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}
