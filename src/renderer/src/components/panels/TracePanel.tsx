import { useState } from 'react';
import type { RunEvent, RunSummary, RuntimeApi } from '../../../../common/index.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';
import { Markdown } from '../../markdown.tsx';
import { ArgsView } from '../common/ArgsView.tsx';
import { stepDetails, traceRows } from './trace-rows.ts';

/** Per run: a timeline of model calls, tool calls, questions and notices, with durations and tokens. */
export function TracePanel({ client, runs }: { client: RuntimeApi; runs: RunSummary[] }) {
  const [runId, setRunId] = useState(runs[0]?.runId);
  return (
    <section className="panel" aria-label="Traces">
      <h2>Traces</h2>
      {runs.length === 0 ? <p className="muted">No runs yet.</p> : (
        <>
          <label htmlFor="trace-run">Run </label>
          <select id="trace-run" value={runId} onChange={(e) => { setRunId(e.target.value); }}>
            {runs.map((run) => <option key={run.runId} value={run.runId}>{run.goal.split('\n')[0]?.slice(0, 80)} ({run.status})</option>)}
          </select>
          {runId && <Trace client={client} runId={runId} />}
        </>
      )}
    </section>
  );
}

function Trace({ client, runId }: { client: RuntimeApi; runId: string }) {
  const [events] = useLoad<RunEvent[]>(() => client.runs.events(runId), [client, runId]);
  return (
    <LoadView load={events}>
      {(list) => (
        <>
        <table className="trace" aria-label="Trace timeline">
          <thead>
            <tr><th>+time</th><th>step</th><th>what</th><th>duration</th><th>tokens</th></tr>
          </thead>
          <tbody>
            {traceRows(list).map((row) => (
              <tr key={row.seq} className={`trace-${row.tone}`}>
                <td>{row.offset}</td><td>{row.step ?? ''}</td><td>{row.label}</td><td>{row.duration ?? ''}</td><td>{row.tokens ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Steps</h3>
        <ul className="plain step-details" aria-label="Steps">
          {stepDetails(list).map((detail) => (
            <li key={detail.step}>
              <details>
                <summary>
                  Step {detail.step}
                  <span className="muted small">
                    {detail.durationMs !== undefined ? ` · model ${(detail.durationMs / 1000).toFixed(2)} s` : ''}
                    {detail.tokens ? ` · ${detail.tokens} tokens` : ''} · {detail.toolCalls.length} tool call{detail.toolCalls.length === 1 ? '' : 's'}
                  </span>
                </summary>
                <p className="tool-label">Response</p>
                {detail.response ? <div className="answer"><Markdown text={detail.response} /></div> : <p className="muted small">(no text: tool calls only)</p>}
                {detail.toolCalls.map((call) => (
                  <div key={call.callId} className="step-call">
                    <p className="tool-label">
                      <code>{call.name}</code> {call.ok === undefined ? 'no result' : call.ok ? 'ok' : 'failed'}{call.durationMs !== undefined ? ` · ${call.durationMs} ms` : ''}
                    </p>
                    <ArgsView value={call.args} />
                    {(call.output ?? call.error) !== undefined && <pre className={call.ok ? 'tool-output' : 'tool-error'}>{call.output ?? call.error}</pre>}
                  </div>
                ))}
              </details>
            </li>
          ))}
        </ul>
        </>
      )}
    </LoadView>
  );
}
