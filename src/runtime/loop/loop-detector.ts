// Loop detection lives in the harness, not the prompt. Three patterns:
//  repeat      — the same call (tool + arguments) twice in a row, or 3 times within the window;
//  ping-pong   — two different calls alternating A,B,A,B;
//  same-result — the same tool returning the identical result `window` times in a row.
import type { LoopPattern } from '../../common/index.ts';

export interface LoopVerdict {
  pattern: LoopPattern;
  detail: string;
}

export interface ObservedCall {
  name: string;
  args: unknown;
}

export interface ObservedResult {
  name: string;
  ok: boolean;
  text: string;
}

export class LoopDetector {
  private calls: string[] = [];
  private results: string[] = [];
  private readonly window: number;

  constructor(window: number) {
    this.window = window;
  }

  /** Observes one turn (its calls in order, then their results); returns the first pattern found. */
  observeTurn(calls: ObservedCall[], results: ObservedResult[]): LoopVerdict | undefined {
    let verdict: LoopVerdict | undefined;
    for (const call of calls) verdict ??= this.observeCall(call);
    for (const result of results) verdict ??= this.observeResult(result);
    return verdict;
  }

  /** Forget history, e.g. after the model received a reflection. */
  reset(): void {
    this.calls = [];
    this.results = [];
  }

  private observeCall(call: ObservedCall): LoopVerdict | undefined {
    const signature = `${call.name} ${stableStringify(call.args)}`;
    this.calls = [...this.calls, signature].slice(-Math.max(this.window, 4));
    const recent = this.calls.slice(-this.window);
    const [a, b, c, d] = this.calls.slice(-4);
    if (this.calls.length >= 4 && a === c && b === d && a !== b) {
      return { pattern: 'ping-pong', detail: `alternating between ${describe(a!)} and ${describe(b!)}` };
    }
    const previous = this.calls.at(-2);
    const count = recent.filter((s) => s === signature).length;
    if (previous === signature || count >= 3) {
      return { pattern: 'repeat', detail: `${describe(signature)} called ${count} times within the last ${recent.length} calls` };
    }
    return undefined;
  }

  private observeResult(result: ObservedResult): LoopVerdict | undefined {
    const signature = `${result.name} ${result.ok ? 'ok' : 'error'} ${result.text}`;
    this.results = [...this.results, signature].slice(-this.window);
    if (this.results.length === this.window && this.results.every((s) => s === signature)) {
      return { pattern: 'same-result', detail: `${result.name} returned the same result ${this.window} times in a row` };
    }
    return undefined;
  }
}

function describe(signature: string): string {
  const space = signature.indexOf(' ');
  const args = signature.slice(space + 1);
  return `${signature.slice(0, space)}(${args.length > 80 ? `${args.slice(0, 77)}...` : args})`;
}

/** JSON with sorted object keys, so argument order does not hide a repeat. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function reflectionMessage(verdict: LoopVerdict, remaining: number): string {
  return [
    `[Rein harness] Loop detected (${verdict.pattern}): ${verdict.detail}.`,
    'Repeating it will not give a different result. Use what you already have, try a different approach,',
    'or give your final answer and say what blocked you.',
    remaining > 0 ? `(${remaining} more warning${remaining === 1 ? '' : 's'} before the run is stopped.)` : '(Next loop stops the run.)',
  ].join(' ');
}
