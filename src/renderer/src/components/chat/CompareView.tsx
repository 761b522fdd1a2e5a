// The same message answered by two models, side by side: each answer as it streams, with time to first token,
// tokens per second and tokens used; "Continue with this answer" keeps the conversation going from that one (the
// other stays reachable as another version of the turn).
import type { CitedPassage } from '../../citations.tsx';
import type { ModelOption } from '../../model-choice.ts';
import { runStats, type RunView } from '../../run-state.ts';
import { duration } from '../../time.ts';
import { RunStatusLine } from './RunStatusLine.tsx';
import { RunTimeline } from './RunTimeline.tsx';

export interface Comparison {
  goal: string;
  runs: { runId: string; model: string }[];
}

interface Props {
  comparison: Comparison;
  views: (RunView | undefined)[];
  options: ModelOption[];
  onPick: (runId: string) => void;
  onOpenSource: (passage: CitedPassage) => void;
}

export function CompareView({ comparison, views, options, onPick, onOpenSource }: Props) {
  const done = views.every((v) => v?.finished);
  return (
    <section className="run compare" aria-label="Comparison">
      <div className="user-turn">
        <div className="user-bubble">{comparison.goal}</div>
      </div>
      <div className="compare-grid">
        {comparison.runs.map(({ runId, model }, i) => {
          const view = views[i];
          const option = options.find((o) => o.ref === model);
          const stats = view ? runStats(view) : undefined;
          return (
            <article key={runId} className="compare-column" aria-label={`Answer from ${option?.name ?? model}`}>
              <header className="compare-head">
                <strong>{option?.name ?? model}</strong>
                {option && option.source !== 'model' && <span className="muted small">{option.source}</span>}
                {option?.cloud && <span className="badge-cloud">cloud</span>}
              </header>
              {view ? <RunTimeline run={view} onOpenSource={onOpenSource} /> : <p className="muted">starting…</p>}
              {view && <RunStatusLine run={view} />}
              {stats && view?.finished && (
                <dl className="compare-stats" aria-label={`Measurements of ${option?.name ?? model}`}>
                  <dt>First token</dt><dd>{stats.ttftMs !== undefined ? duration(stats.ttftMs) : '—'}</dd>
                  <dt>Speed</dt><dd>{stats.tokensPerSecond !== undefined ? `${stats.tokensPerSecond.toFixed(1)} tokens/s` : '—'}</dd>
                  <dt>Tokens</dt><dd>{stats.promptTokens.toLocaleString()} in · {stats.completionTokens.toLocaleString()} out</dd>
                </dl>
              )}
              <button type="button" className="button" disabled={!done || view?.finished?.status !== 'completed'} onClick={() => { onPick(runId); }}>
                Continue with this answer
              </button>
            </article>
          );
        })}
      </div>
    </section>
  );
}
