// Insights: how the flywheel turns — skills, tools, approvals and models, with the user's verdicts (thumbs) on them
// and over time, from the recorded runs, the verdicts and the approval history.
import type { RuntimeApi } from '../../../../common/index.ts';
import { insightsOf, type Insights, type Verdicts } from '../../insights.ts';
import { ruleText } from '../../rules.ts';
import { duration } from '../../time.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';

/** Runs read at most (newest): enough for trends, quick to load. */
const RUNS = 200;
const DAYS = 14;

async function load(client: RuntimeApi): Promise<Insights> {
  const runs = (await client.runs.list()).slice(0, RUNS).reverse();
  const events = await Promise.all(runs.map((r) => client.runs.events(r.runId).catch(() => [])));
  const approvals = await client.approvals.history(1000).catch(() => []);
  return insightsOf(events, approvals, runs.map((r) => r.feedback?.verdict));
}

const pct = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '—');
const trendText = (trend: number) => (trend > 0.05 ? `↑ ${Math.round(trend * 100)} pts` : trend < -0.05 ? `↓ ${Math.round(-trend * 100)} pts` : '→ steady');
const verdictText = (v: Verdicts) => (v.good + v.bad ? `${v.good} good · ${v.bad} bad` : '—');
const dayLabel = (day: string) => (day === 'unknown' ? day : new Date(`${day}T12:00:00`).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' }));

export function InsightsPanel({ client }: { client: RuntimeApi }) {
  const [insights] = useLoad(() => load(client), [client]);
  return (
    <section className="panel" aria-label="Insights">
      <h2>Insights</h2>
      <LoadView load={insights}>
        {(data) => (
          <>
            <p className="muted">From the last {data.runs} run{data.runs === 1 ? '' : 's'}, your verdicts on their answers ({verdictText(data.feedback)}) and the decided approvals.</p>
            <h3>Your verdicts over time</h3>
            {data.feedback.good + data.feedback.bad === 0 ? <p className="muted small">No thumbs yet: rate an answer with the thumbs under it in the chat (or `rein feedback &lt;run&gt; good|bad`).</p> : (
              <table className="stats" aria-label="Verdicts by day">
                <thead><tr><th scope="col">day</th><th scope="col">runs</th><th scope="col">good</th><th scope="col">bad</th><th scope="col">share good</th></tr></thead>
                <tbody>{data.days.slice(-DAYS).map((d) => <tr key={d.day}><th scope="row">{dayLabel(d.day)}</th><td>{d.runs}</td><td>{d.good}</td><td>{d.bad}</td><td>{pct(d.good, d.good + d.bad)}</td></tr>)}</tbody>
              </table>
            )}
            <h3>Skills</h3>
            {data.skills.length === 0 ? <p className="muted small">No run used a skill yet.</p> : (
              <table className="stats" aria-label="Skills">
                <thead><tr><th scope="col">skill</th><th scope="col">uses</th><th scope="col">success</th><th scope="col">trend</th><th scope="col">your verdicts</th></tr></thead>
                <tbody>{data.skills.map((s) => <tr key={s.name}><th scope="row">{s.name}</th><td>{s.uses}</td><td>{pct(s.successes, s.uses)}</td><td>{trendText(s.trend)}</td><td>{verdictText(s)}</td></tr>)}</tbody>
              </table>
            )}
            <h3>Tools</h3>
            {data.tools.length === 0 ? <p className="muted small">No tool calls yet.</p> : (
              <table className="stats" aria-label="Tools">
                <thead><tr><th scope="col">tool</th><th scope="col">calls</th><th scope="col">failures</th><th scope="col">denied</th><th scope="col">median</th><th scope="col">p95</th><th scope="col">your verdicts</th></tr></thead>
                <tbody>{data.tools.map((t) => <tr key={t.name}><th scope="row">{t.name}</th><td>{t.calls}</td><td>{t.failures} ({pct(t.failures, t.calls - t.denied)})</td><td>{t.denied}</td><td>{duration(t.medianMs)}</td><td>{duration(t.p95Ms)}</td><td>{verdictText(t)}</td></tr>)}</tbody>
              </table>
            )}
            <h3>Approvals by rule</h3>
            {data.rules.length === 0 ? <p className="muted small">Nothing was asked yet.</p> : (
              <table className="stats" aria-label="Approvals by rule">
                <thead><tr><th scope="col">rule</th><th scope="col">asked</th><th scope="col">granted</th><th scope="col">denied</th></tr></thead>
                <tbody>{data.rules.map((r) => <tr key={r.rule}><th scope="row" title={r.rule}>{ruleText(r.rule)}</th><td>{r.asked}</td><td>{r.granted}</td><td>{r.denied}</td></tr>)}</tbody>
              </table>
            )}
            <h3>Models</h3>
            <table className="stats" aria-label="Models">
              <thead><tr><th scope="col">model</th><th scope="col">runs</th><th scope="col">prompt tokens</th><th scope="col">answer tokens</th><th scope="col">model time</th><th scope="col">your verdicts</th></tr></thead>
              <tbody>{data.models.map((m) => <tr key={m.model}><th scope="row">{m.model}</th><td>{m.runs}</td><td>{m.promptTokens.toLocaleString()}</td><td>{m.completionTokens.toLocaleString()}</td><td>{duration(m.modelMs)}</td><td>{verdictText(m)}</td></tr>)}</tbody>
            </table>
          </>
        )}
      </LoadView>
    </section>
  );
}
