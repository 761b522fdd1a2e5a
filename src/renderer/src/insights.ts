// The flywheel in numbers, folded from recorded runs (the episodic log) and decided approvals (the audit trail):
// per skill uses, success rate and trend; per tool calls, failures and latency; per rule approvals asked, granted,
// denied; per model tokens and time. Pure, so it is unit-tested without a browser.
import type { ApprovalRecord, RunEvent } from '../../common/index.ts';

export interface SkillStat { name: string; uses: number; successes: number; /** Success rate of the newer half of its runs minus the older half. */ trend: number }
export interface ToolStat { name: string; calls: number; failures: number; medianMs: number; p95Ms: number }
export interface RuleStat { rule: string; asked: number; granted: number; denied: number; pending: number }
export interface ModelStat { model: string; runs: number; promptTokens: number; completionTokens: number; modelMs: number }

export interface Insights {
  runs: number;
  skills: SkillStat[];
  tools: ToolStat[];
  rules: RuleStat[];
  models: ModelStat[];
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
const rate = (outcomes: boolean[]) => (outcomes.length ? outcomes.filter(Boolean).length / outcomes.length : 0);

/** `runs`: each run's events, oldest run first. */
export function insightsOf(runs: RunEvent[][], approvals: readonly Pick<ApprovalRecord, 'rule' | 'status'>[]): Insights {
  const skillOutcomes = new Map<string, boolean[]>();
  const tools = new Map<string, { calls: number; failures: number; durations: number[] }>();
  const models = new Map<string, ModelStat>();
  for (const events of runs) {
    const started = events.find((e) => e.type === 'run.started');
    const finished = events.findLast((e) => e.type === 'run.finished');
    const ok = finished?.type === 'run.finished' && finished.status === 'completed';
    const used = new Set(events.flatMap((e) => (e.type === 'skill.used' ? [e.name] : [])));
    if (finished) for (const name of used) skillOutcomes.set(name, [...(skillOutcomes.get(name) ?? []), ok]);
    const modelName = started?.type === 'run.started' ? started.model : 'unknown';
    const model = models.get(modelName) ?? { model: modelName, runs: 0, promptTokens: 0, completionTokens: 0, modelMs: 0 };
    model.runs += 1;
    for (const event of events) {
      if (event.type === 'tool.result') {
        const stat = tools.get(event.name) ?? { calls: 0, failures: 0, durations: [] };
        stat.calls += 1;
        if (!event.ok) stat.failures += 1;
        stat.durations.push(event.durationMs);
        tools.set(event.name, stat);
      } else if (event.type === 'model.completed') {
        model.promptTokens += event.usage.promptTokens;
        model.completionTokens += event.usage.completionTokens;
        model.modelMs += event.durationMs;
      }
    }
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
      return { name, uses: outcomes.length, successes: outcomes.filter(Boolean).length, trend: half ? rate(outcomes.slice(half)) - rate(outcomes.slice(0, half)) : 0 };
    }).sort((a, b) => b.uses - a.uses),
    tools: [...tools].map(([name, s]) => {
      const sorted = [...s.durations].sort((a, b) => a - b);
      return { name, calls: s.calls, failures: s.failures, medianMs: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
    }).sort((a, b) => b.calls - a.calls),
    rules: [...rules.values()].sort((a, b) => b.asked - a.asked),
    models: [...models.values()].sort((a, b) => b.runs - a.runs),
  };
}
