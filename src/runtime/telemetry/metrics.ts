// The metrics: the two GenAI client histograms (token usage, operation duration) and Rein's own counts of runs,
// tool failures, approval waits and schedule slots. Attributes are low-cardinality names, never content.
import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS, ERROR_TYPE, GEN_AI, METRIC, REIN, TOKEN_BUCKETS, WAIT_BUCKETS } from './conventions.ts';

export interface ModelCallFacts {
  operation: string;
  provider: string;
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  durationMs: number;
  errorType?: string;
}

export class RunMetrics {
  private readonly tokens: Histogram;
  private readonly duration: Histogram;
  private readonly runs: Counter;
  private readonly toolFailures: Counter;
  private readonly approvalWait: Histogram;
  private readonly scheduleSlots: Counter;

  constructor(meter: Meter) {
    this.tokens = meter.createHistogram(METRIC.tokenUsage, { unit: '{token}', description: 'Tokens used per model call', advice: { explicitBucketBoundaries: TOKEN_BUCKETS } });
    this.duration = meter.createHistogram(METRIC.operationDuration, { unit: 's', description: 'Duration of model calls', advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
    this.runs = meter.createCounter(METRIC.runs, { unit: '{run}', description: 'Finished agent runs, by status' });
    this.toolFailures = meter.createCounter(METRIC.toolFailures, { unit: '{call}', description: 'Tool calls that failed or were refused' });
    this.approvalWait = meter.createHistogram(METRIC.approvalWait, { unit: 's', description: 'Time tool calls waited for an approval', advice: { explicitBucketBoundaries: WAIT_BUCKETS } });
    this.scheduleSlots = meter.createCounter(METRIC.scheduleSlots, { unit: '{slot}', description: 'Scheduled slots, by what became of them' });
  }

  modelCall(facts: ModelCallFacts): void {
    const attributes: Attributes = { [GEN_AI.operationName]: facts.operation, [GEN_AI.providerName]: facts.provider, [GEN_AI.requestModel]: facts.model };
    if (facts.inputTokens !== undefined) this.tokens.record(facts.inputTokens, { ...attributes, [GEN_AI.tokenType]: 'input' });
    if (facts.outputTokens !== undefined) this.tokens.record(facts.outputTokens, { ...attributes, [GEN_AI.tokenType]: 'output' });
    this.duration.record(facts.durationMs / 1000, facts.errorType ? { ...attributes, [ERROR_TYPE]: facts.errorType } : attributes);
  }

  runFinished(status: string, agentName: string): void {
    this.runs.add(1, { [REIN.runStatus]: status, [GEN_AI.agentName]: agentName });
  }

  toolFailed(tool: string, errorType: string): void {
    this.toolFailures.add(1, { [GEN_AI.toolName]: tool, [ERROR_TYPE]: errorType });
  }

  approvalWaited(seconds: number, decision: string, approver: string): void {
    this.approvalWait.record(seconds, { [REIN.policyApproval]: decision, [REIN.policyApprover]: approver });
  }

  scheduleSlot(schedule: string, status: string): void {
    this.scheduleSlots.add(1, { [REIN.scheduleName]: schedule, [REIN.scheduleStatus]: status });
  }
}
