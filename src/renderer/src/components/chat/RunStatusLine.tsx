import type { RunView } from '../../run-state.ts';

export function RunStatusLine({ run, waiting = false }: { run: RunView; waiting?: boolean }) {
  const { finished } = run;
  const last = run.turns.at(-1);
  if (!finished && waiting) {
    return (
      <p className="status-line status-waiting" role="status">
        waiting for your answer above…
      </p>
    );
  }
  if (!finished) {
    return (
      <p className="status-line status-running" role="status">
        running{run.model ? ` on ${run.model}` : ''}…{last ? ` (step ${last.step}: ${last.usage.promptTokens} + ${last.usage.completionTokens} tokens)` : ''}
      </p>
    );
  }
  const { status, reason, steps, usage } = finished;
  return (
    <p className={`status-line status-${status}`} role="status" aria-label="Run status">
      <strong>{status}</strong>
      {reason && <span> — {reason}</span>}
      <span className="status-meta">
        {' '}
        · {steps} step{steps === 1 ? '' : 's'} · {usage.promptTokens} prompt + {usage.completionTokens} completion tokens
      </span>
    </p>
  );
}
