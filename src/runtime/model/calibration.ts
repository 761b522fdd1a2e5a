// Token estimates for one model, calibrated against what the server counted. Ollama reports in prompt_eval_count
// only the tokens it evaluated after the prefix it kept from the previous prompt, so the estimate compared with it
// is that of the same part: the messages after the longest common prefix (and the tools, if they changed).
import { estimateMessageTokens, estimateTokens } from './context-fit.ts';
import type { ChatMessage, ToolSpec } from './types.ts';

/** Reported/estimated ratios outside this range are not calibration (a tokenizer is never this far off). */
const PLAUSIBLE = { min: 0.33, max: 3 };
const SMOOTHING = 0.3;
/** Suffixes this small say little about the tokenizer (template tokens dominate). */
const MIN_SAMPLE_TOKENS = 64;

export class PromptCalibration {
  private factor = 1;
  private previous: { messages: readonly ChatMessage[]; tools: string } | undefined;

  /** The calibrated estimate of a whole prompt, tools included. */
  estimate(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    return Math.ceil((messages.reduce((sum, m) => sum + estimateMessageTokens(m), 0) + toolTokens(tools)) * this.factor);
  }

  /** Reported tokens per estimated token (1 until the server has counted something). */
  get scale(): number {
    return this.factor;
  }

  /** Called before a request is sent: returns the raw estimate of what the server will have to evaluate. */
  sending(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): number {
    const key = toolsKey(tools);
    const previous = this.previous;
    this.previous = { messages, tools: key };
    const toolsKept = previous?.tools === key;
    let common = 0;
    if (previous && toolsKept) while (common < previous.messages.length && common < messages.length && same(previous.messages[common]!, messages[common]!)) common++;
    const rest = messages.slice(common).reduce((sum, m) => sum + estimateMessageTokens(m), 0);
    return rest + (toolsKept ? 0 : toolTokens(tools));
  }

  /** Feeds the server's prompt_eval_count for a request whose `sending` estimate was `estimated`. */
  observe(estimated: number, reported: number): void {
    if (estimated < MIN_SAMPLE_TOKENS || reported <= 0) return;
    const ratio = reported / estimated;
    if (ratio < PLAUSIBLE.min || ratio > PLAUSIBLE.max) return;
    this.factor += (ratio - this.factor) * SMOOTHING;
  }
}

/** Per tool spec object (the registry keeps them), so a step does not serialise every schema again. */
const specTokens = new WeakMap<ToolSpec, number>();

export function toolTokens(tools: readonly ToolSpec[]): number {
  let sum = 0;
  for (const tool of tools) {
    let tokens = specTokens.get(tool);
    if (tokens === undefined) specTokens.set(tool, (tokens = estimateTokens(JSON.stringify(tool)) + 1));
    sum += tokens;
  }
  return sum;
}

/** Identifies a tool list: names and sizes (a changed schema under the same name changes its size). */
function toolsKey(tools: readonly ToolSpec[]): string {
  return tools.map((t) => `${t.name}:${toolTokens([t])}`).join(',');
}

function same(a: ChatMessage, b: ChatMessage): boolean {
  if (a === b) return true;
  if (a.role !== b.role || a.content !== b.content) return false;
  return a.role !== 'assistant' || JSON.stringify(a.toolCalls ?? []) === JSON.stringify((b as typeof a).toolCalls ?? []);
}
