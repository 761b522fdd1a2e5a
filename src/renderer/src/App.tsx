import { useCallback, useEffect, useReducer, useState } from 'react';
import { errorText, getClient } from './client.ts';
import { runsReducer } from './run-state.ts';
import { GoalForm } from './components/GoalForm.tsx';
import { ModelStatusBar } from './components/ModelStatusBar.tsx';
import { RunTimeline } from './components/RunTimeline.tsx';
import { RunStatusLine } from './components/RunStatusLine.tsx';

export function App() {
  const client = getClient();
  const [state, dispatch] = useReducer(runsReducer, { runs: {} });
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => client.onEvent((event) => { dispatch({ type: 'event', event }); }), [client]);

  const run = state.currentRunId ? state.runs[state.currentRunId] : undefined;
  const running = Boolean(run && !run.finished);

  const start = useCallback(
    async (goal: string) => {
      setError(undefined);
      setStarting(true);
      try {
        const { runId } = await client.startRun({ goal });
        dispatch({ type: 'select', runId });
      } catch (err) {
        setError(errorText(err));
      } finally {
        setStarting(false);
      }
    },
    [client],
  );

  const stop = useCallback(() => {
    if (!run) return;
    client.abortRun(run.runId).catch((err: unknown) => { setError(errorText(err)); });
  }, [client, run]);

  return (
    <div className="app">
      <ModelStatusBar client={client} />
      <main className="content">
        <GoalForm busy={starting || running} canStop={running} onRun={(goal) => void start(goal)} onStop={stop} />
        {error && <p className="error-line">{error}</p>}
        {run && (
          <section className="run" aria-label="Current run">
            {run.goal && <p className="run-goal">{run.goal}</p>}
            <RunTimeline run={run} />
            <RunStatusLine run={run} />
          </section>
        )}
      </main>
    </div>
  );
}
