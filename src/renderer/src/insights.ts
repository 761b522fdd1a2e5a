// The flywheel in numbers, folded from recorded runs (the episodic log), the user's verdicts on them (thumbs, `rein
// feedback`) and decided approvals (the audit trail): per skill uses, success rate, trend and verdicts; per tool calls,
// failures, denials, latency and verdicts; per rule approvals asked, granted, denied; per model tokens, time and
// verdicts; and the verdicts per day. Pure, so it is unit-tested without a browser.
import type { ApprovalRecord, FeedbackVerdict, RunEvent } from '../../common/index.ts';

/** The user's verdicts on the runs counted. */
export interface Verdicts { good: number; bad: number }
export interface SkillStat extends Verdicts { name: string; uses: number; successes: number; /** Success rate of the newer half of its runs minus the older half. */ trend: number }
export interface ToolStat extends Verdicts { name: string; calls: number; failures: number; /** Refused by a rule or the user: not the tool's failure. */ denied: number; medianMs: number; p95Ms: number }
export interface RuleStat { rule: string; asked: number; granted: number; denied: number; pending: number }
export interface ModelStat extends Verdicts { model: string; runs: number; promptTokens: number; completionTokens: number; modelMs: number }
export interface DayStat extends Verdicts { day: string; runs: number }

export interface Insights {
  runs: number;
  skills: SkillStat[];
  tools: ToolStat[];
  rules: RuleStat[];
  models: ModelStat[];
  /** Days with runs, oldest first (local dates, YYYY-MM-DD). */
  days: DayStat[];
  feedback: Verdicts;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
const rate = (outcomes: boolean[]) => (outcomes.length ? outcomes.filter(Boolean).length / outcomes.length : 0);
const count = (stat: Verdicts, verdict: FeedbackVerdict | undefined) => {
  if (verdict === 'good') stat.good += 1;
  else if (verdict === 'bad') stat.bad += 1;
};
const localDay = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? 'unknown' : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** Calls refused by a rule or by the user (a denied approval). */
function deniedCalls(events: RunEvent[]): Set<string> {
  const asked = new Map<string, string>();
  const denied = new Set<string>();
  for (const e of events) {
    if (e.type === 'approval.requested') asked.set(e.id, e.callId);
    else if (e.type === 'approval.resolved' && e.decision === 'deny' && asked.has(e.id)) denied.add(asked.get(e.id)!);
    else if (e.type === 'policy.denied') denied.add(e.callId);
  }
  return denied;
}

/** `runs`: each run's events, oldest run first; `verdicts`: the user's verdict on each (same order). */
export function insightsOf(runs: RunEvent[][], approvals: readonly Pick<ApprovalRecord, 'rule' | 'status'>[], verdicts: readonly (FeedbackVerdict | undefined)[] = []): Insights {
  const skillOutcomes = new Map<string, boolean[]>();
  const skillVerdicts = new Map<string, Verdicts>();
  const tools = new Map<string, Omit<ToolStat, 'name' | 'medianMs' | 'p95Ms'> & { durations: number[] }>();
  const models = new Map<string, ModelStat>();
  const days = new Map<string, DayStat>();
  const feedback: Verdicts = { good: 0, bad: 0 };
  for (const [index, events] of runs.entries()) {
    const verdict = verdicts[index];
    count(feedback, verdict);
    const started = events.find((e) => e.type === 'run.started');
    const finished = events.findLast((e) => e.type === 'run.finished');
    const ok = finished?.type === 'run.finished' && finished.status === 'completed';
    const used = new Set(events.flatMap((e) => (e.type === 'skill.used' ? [e.name] : [])));
    if (finished) for (const name of used) skillOutcomes.set(name, [...(skillOutcomes.get(name) ?? []), ok]);
    for (const name of used) {
      const stat = skillVerdicts.get(name) ?? { good: 0, bad: 0 };
      count(stat, verdict);
      skillVerdicts.set(name, stat);
    }
    const modelName = started?.type === 'run.started' ? started.model : 'unknown';
    const model = models.get(modelName) ?? { model: modelName, runs: 0, promptTokens: 0, completionTokens: 0, modelMs: 0, good: 0, bad: 0 };
    model.runs += 1;
    count(model, verdict);
    const dayKey = started ? localDay(started.time) : 'unknown';
    const day = days.get(dayKey) ?? { day: dayKey, runs: 0, good: 0, bad: 0 };
    day.runs += 1;
    count(day, verdict);
    days.set(dayKey, day);
    const denied = deniedCalls(events);
    const toolsOfRun = new Set<string>();
    for (const event of events) {
      if (event.type === 'tool.result') {
        const stat = tools.get(event.name) ?? { calls: 0, failures: 0, denied: 0, durations: [], good: 0, bad: 0 };
        stat.calls += 1;
        if (denied.has(event.callId)) stat.denied += 1;
        else {
          if (!event.ok) stat.failures += 1;
          stat.durations.push(event.durationMs);
        }
        tools.set(event.name, stat);
        toolsOfRun.add(event.name);
      } else if (event.type === 'model.completed') {
        model.promptTokens += event.usage.promptTokens;
        model.completionTokens += event.usage.completionTokens;
        model.modelMs += event.durationMs;
      }
    }
    for (const name of toolsOfRun) count(tools.get(name)!, verdict);
    models.set(modelName, model);
  }
  const rules = new Map<string, RuleStat>();
  for (const a of approvals) {
    const stat = rules.get(a.rule) ?? { rule: a.rule, asked: 0, granted: 0, denied: 0, pending: 0 };
    stat.asked += 1;
    if (a.status === 'allowed') stat.granted += 1;
    else if (a.status === 'denied') stat.denied += 1;
    else stat.pending += 1;
    rules.set(a.rule, stat);
  }
  return {
    runs: runs.length,
    skills: [...skillOutcomes].map(([name, outcomes]) => {
      const half = Math.floor(outcomes.length / 2);
      return { name, uses: outcomes.length, successes: outcomes.filter(Boolean).length, trend: half ? rate(outcomes.slice(half)) - rate(outcomes.slice(0, half)) : 0, ...(skillVerdicts.get(name) ?? { good: 0, bad: 0 }) };
    }).sort((a, b) => b.uses - a.uses),
    tools: [...tools].map(([name, s]) => {
      const sorted = [...s.durations].sort((a, b) => a - b);
      return { name, calls: s.calls, failures: s.failures, denied: s.denied, medianMs: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), good: s.good, bad: s.bad };
    }).sort((a, b) => b.calls - a.calls),
    rules: [...rules.values()].sort((a, b) => b.asked - a.asked),
    models: [...models.values()].sort((a, b) => b.runs - a.runs),
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    feedback,
  };
}
