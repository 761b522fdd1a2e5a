// Per-run budgets: tokens, tool calls (overall and per tool), wall time. Exceeding one stops the run (`stopped`).
import type { RunEventInput, Usage } from '../../common/index.ts';
import type { PolicyConfig } from '../config/index.ts';
import { matchesGlob } from './glob.ts';

type Budgets = PolicyConfig['budgets'];

export class RunBudget {
  private readonly budgets: Budgets;
  private readonly emit: (event: RunEventInput) => void;
  private readonly perTool = new Map<string, number>();
  private toolCalls = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private exceededReason: string | undefined;

  constructor(budgets: Budgets, run: { emit: (event: RunEventInput) => void; stop: (reason: string) => void }) {
    this.budgets = budgets;
    this.emit = run.emit;
    const wall = budgets.max_wall_time_s;
    if (wall !== undefined) {
      this.timer = setTimeout(() => run.stop(this.exceed('max_wall_time_s', wall, wall, `wall-time budget spent: ${wall}s (policy.budgets.max_wall_time_s)`)), wall * 1000);
      this.timer.unref();
    }
  }

  /** Counts a tool call; returns why it is refused when it goes over a budget. */
  countCall(tool: string): string | undefined {
    this.toolCalls++;
    const max = this.budgets.max_tool_calls;
    if (max !== undefined && this.toolCalls > max) {
      return this.exceed('max_tool_calls', max, this.toolCalls, `tool-call budget spent: ${max} calls (policy.budgets.max_tool_calls)`);
    }
    for (const [pattern, limit] of Object.entries(this.budgets.max_calls_per_tool)) {
      if (!matchesGlob(tool, pattern, { ignoreCase: true })) continue;
      const used = (this.perTool.get(pattern) ?? 0) + 1;
      this.perTool.set(pattern, used);
      if (used > limit) return this.exceed(`max_calls_per_tool.${pattern}`, limit, used, `tool-call budget for ${pattern} spent: ${limit} calls (policy.budgets.max_calls_per_tool)`);
    }
    return undefined;
  }

  /** Before a step: a reason to stop when a budget is spent. */
  check(usage: Usage): string | undefined {
    if (this.exceededReason) return this.exceededReason;
    const max = this.budgets.max_tokens;
    const used = usage.promptTokens + usage.completionTokens;
    if (max !== undefined && used >= max) return this.exceed('max_tokens', max, used, `token budget spent: ${used} of ${max} tokens (policy.budgets.max_tokens)`);
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private exceed(budget: string, limit: number, used: number, reason: string): string {
    if (!this.exceededReason) {
      this.exceededReason = reason;
      this.emit({ type: 'budget.exceeded', budget, limit, used });
    }
    return this.exceededReason;
  }
}
