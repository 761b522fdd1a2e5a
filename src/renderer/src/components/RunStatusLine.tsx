import type { RunView } from '../run-state.ts';

export function RunStatusLine({ run }: { run: RunView }) {
  const { finished } = run;
  if (!finished) {
    return <p className="status-line status-running">running{run.model ? ` on ${run.model}` : ''}…</p>;
  }
  const { status, reason, steps, usage } = finished;
  return (
    <p className={`status-line status-${status}`}>
      <strong>{status}</strong>
      {reason && <span> — {reason}</span>}
      <span className="status-meta">
        {' '}
        · {steps} step{steps === 1 ? '' : 's'} · {usage.promptTokens} prompt + {usage.completionTokens} completion tokens
      </span>
    </p>
  );
}
