// What a run is doing, honestly: waiting for the model (with the time so far, or "loading model…" when the server
// says so), streaming (with tokens per second), running a tool, waiting for you; then how it ended.
import type { RunView } from '../../run-state.ts';
import { duration } from '../../time.ts';
import { useNow } from '../../use-now.ts';

interface Props {
  run: RunView;
  waiting?: boolean;
  /** The model server is loading the model into memory. */
  loadingModel?: boolean;
}

export function RunStatusLine({ run, waiting = false, loadingModel = false }: Props) {
  const { finished, phase } = run;
  const now = useNow(!finished);
  if (!finished && waiting) {
    return (
      <p className="status-line status-waiting" role="status">
        waiting for your answer above…
      </p>
    );
  }
  if (!finished) {
    // Whole seconds: the counter ticks once a second.
    const since = phase ? Math.floor(Math.max(0, now - phase.since) / 1000) * 1000 : 0;
    const elapsed = since < 1000 ? '0 s' : duration(since);
    let text: string;
    if (phase?.kind === 'tool') text = `running ${phase.name}… ${elapsed}`;
    else if (phase?.kind === 'model' && phase.firstAt !== undefined) {
      const seconds = Math.max(0.5, (now - phase.firstAt) / 1000);
      text = `writing… ~${Math.round(phase.chars / 4 / seconds)} tokens/s`;
    } else if (loadingModel) text = `loading ${run.model ?? 'the model'} into memory… ${elapsed}`;
    else text = `waiting for ${run.model ?? 'the model'}… ${elapsed}`;
    return (
      <p className="status-line status-running" role="status" aria-label="Run progress">
        <span className="spinner" aria-hidden="true" />
        {text}
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
        · {steps} step{steps === 1 ? '' : 's'} · {(usage.promptTokens + usage.completionTokens).toLocaleString()} tokens
      </span>
    </p>
  );
}
