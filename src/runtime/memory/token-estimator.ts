// Token estimates of a prompt, tools included. A model client that calibrates against its server's counts (Ollama's
// prompt_eval_count, after the reused prefix) is asked; otherwise a local estimate calibrated here is used.
import { estimateMessageTokens, estimateTokens, type ChatMessage, type ModelClient, type ToolSpec } from '../model/index.ts';

/** Reported/estimated ratios outside this range are not calibration (e.g. a prompt served from Ollama's cache). */
const PLAUSIBLE = { min: 0.5, max: 2 };
const SMOOTHING = 0.3;

export class TokenEstimator {
  private factor = 1;
  private model: Pick<ModelClient, 'estimateTokens'> | undefined;

  /** Estimates come from this model client when it can make them. */
  use(model: Pick<ModelClient, 'estimateTokens'>): void {
    this.model = model;
  }

  /** The model client makes (and calibrates) the estimates itself: `raw` and `calibrate` are not needed. */
  get modelEstimates(): boolean {
    return Boolean(this.model?.estimateTokens);
  }

  /** Uncalibrated count, as sent. */
  raw(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    return messages.reduce((sum, m) => sum + estimateMessageTokens(m), 0) + (tools.length ? estimateTokens(JSON.stringify(tools)) : 0);
  }

  estimate(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    if (this.model?.estimateTokens) return this.model.estimateTokens(messages, tools);
    return Math.ceil(this.raw(messages, tools) * this.factor);
  }

  /** Feeds one observation (models that do not calibrate themselves): the raw estimate of a prompt and the model's count. */
  calibrate(rawEstimate: number, reportedTokens: number): void {
    if (this.model?.estimateTokens || rawEstimate <= 0 || reportedTokens <= 0) return;
    const ratio = reportedTokens / rawEstimate;
    if (ratio < PLAUSIBLE.min || ratio > PLAUSIBLE.max) return;
    this.factor += (ratio - this.factor) * SMOOTHING;
  }

  get calibration(): number {
    return this.factor;
  }
}
