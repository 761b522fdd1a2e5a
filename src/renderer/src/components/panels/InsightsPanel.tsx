// Insights: how the flywheel turns — skills, tools, approvals and models, from the recorded runs and approvals.
import type { RuntimeApi } from '../../../../common/index.ts';
import { insightsOf, type Insights } from '../../insights.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';

/** Runs read at most (newest): enough for trends, quick to load. */
const RUNS = 200;

async function load(client: RuntimeApi): Promise<Insights> {
  const runs = (await client.runs.list()).slice(0, RUNS).reverse();
  const events = await Promise.all(runs.map((r) => client.runs.events(r.runId).catch(() => [])));
  const approvals = await client.approvals.history(1000).catch(() => []);
  return insightsOf(events, approvals);
}

const pct = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '—');
const trendText = (trend: number) => (trend > 0.05 ? `↑ ${Math.round(trend * 100)} pts` : trend < -0.05 ? `↓ ${Math.round(-trend * 100)} pts` : '→ steady');

export function InsightsPanel({ client }: { client: RuntimeApi }) {
  const [insights] = useLoad(() => load(client), [client]);
  return (
    <section className="panel" aria-label="Insights">
      <h2>Insights</h2>
      <LoadView load={insights}>
        {(data) => (
          <>
            <p className="muted">From the last {data.runs} run{data.runs === 1 ? '' : 's'} and the decided approvals.</p>
            <h3>Skills</h3>
            {data.skills.length === 0 ? <p className="muted small">No run used a skill yet.</p> : (
              <table className="stats" aria-label="Skills">
                <thead><tr><th scope="col">skill</th><th scope="col">uses</th><th scope="col">success</th><th scope="col">trend</th></tr></thead>
                <tbody>{data.skills.map((s) => <tr key={s.name}><th scope="row">{s.name}</th><td>{s.uses}</td><td>{pct(s.successes, s.uses)}</td><td>{trendText(s.trend)}</td></tr>)}</tbody>
              </table>
            )}
            <h3>Tools</h3>
            {data.tools.length === 0 ? <p className="muted small">No tool calls yet.</p> : (
              <table className="stats" aria-label="Tools">
                <thead><tr><th scope="col">tool</th><th scope="col">calls</th><th scope="col">failures</th><th scope="col">median</th><th scope="col">p95</th></tr></thead>
                <tbody>{data.tools.map((t) => <tr key={t.name}><th scope="row">{t.name}</th><td>{t.calls}</td><td>{t.failures} ({pct(t.failures, t.calls)})</td><td>{t.medianMs} ms</td><td>{t.p95Ms} ms</td></tr>)}</tbody>
              </table>
            )}
            <h3>Approvals by rule</h3>
            {data.rules.length === 0 ? <p className="muted small">Nothing was asked yet.</p> : (
              <table className="stats" aria-label="Approvals by rule">
                <thead><tr><th scope="col">rule</th><th scope="col">asked</th><th scope="col">granted</th><th scope="col">denied</th></tr></thead>
                <tbody>{data.rules.map((r) => <tr key={r.rule}><th scope="row"><code>{r.rule}</code></th><td>{r.asked}</td><td>{r.granted}</td><td>{r.denied}</td></tr>)}</tbody>
              </table>
            )}
            <h3>Models</h3>
            <table className="stats" aria-label="Models">
              <thead><tr><th scope="col">model</th><th scope="col">runs</th><th scope="col">prompt tokens</th><th scope="col">completion tokens</th><th scope="col">model time</th></tr></thead>
              <tbody>{data.models.map((m) => <tr key={m.model}><th scope="row">{m.model}</th><td>{m.runs}</td><td>{m.promptTokens}</td><td>{m.completionTokens}</td><td>{(m.modelMs / 1000).toFixed(1)} s</td></tr>)}</tbody>
            </table>
          </>
        )}
      </LoadView>
    </section>
  );
}
