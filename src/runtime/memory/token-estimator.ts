// Local token estimates, calibrated against what the model reports (Ollama's prompt_eval_count).
import { estimateMessageTokens, type ChatMessage } from '../model/index.ts';

/** Reported/estimated ratios outside this range are not calibration (e.g. a prompt served from Ollama's cache). */
const PLAUSIBLE = { min: 0.5, max: 2 };
const SMOOTHING = 0.3;

export class TokenEstimator {
  private factor = 1;

  /** Uncalibrated count, as sent. */
  raw(messages: readonly ChatMessage[]): number {
    return messages.reduce((sum, m) => sum + estimateMessageTokens(m), 0);
  }

  estimate(messages: readonly ChatMessage[]): number {
    return Math.ceil(this.raw(messages) * this.factor);
  }

  /** Feeds one observation: the raw estimate of a prompt and the tokens the model counted for it. */
  calibrate(rawEstimate: number, reportedTokens: number): void {
    if (rawEstimate <= 0 || reportedTokens <= 0) return;
    const ratio = reportedTokens / rawEstimate;
    if (ratio < PLAUSIBLE.min || ratio > PLAUSIBLE.max) return;
    this.factor += (ratio - this.factor) * SMOOTHING;
  }

  get calibration(): number {
    return this.factor;
  }
}
