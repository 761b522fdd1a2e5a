// Models that print their tool calls instead of making them natively: `<tool_call>{…}</tool_call>` (Hermes, Qwen),
// `[TOOL_CALLS] [...]` (Mistral) or a bare JSON object naming a tool. Text streams through until such a call may have
// begun; from there it is held and read at the end. Bare JSON counts only when it names an offered tool, so a model
// that answers in JSON is not mistaken for one that calls.
export interface TextCall {
  name: string;
  arguments: unknown;
}

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';
const MISTRAL = '[TOOL_CALLS]';

export class TextToolCalls {
  private readonly tools: ReadonlySet<string>;
  private shown = '';
  private held = '';
  private holding = false;

  constructor(tools: Iterable<string>) {
    this.tools = new Set(tools);
  }

  /** Feeds answer text; returns what can be shown now. */
  push(text: string): string {
    if (this.holding) {
      this.held += text;
      return '';
    }
    const all = this.held + text;
    this.held = '';
    const start = startOfCall(all, this.shown.trim() === '');
    if (start >= 0) {
      this.holding = true;
      this.held = all.slice(start);
      return this.emit(all.slice(0, start));
    }
    // A possible start at the end (`<tool_c`, or leading whitespace before JSON) waits for more.
    const keep = pendingSuffix(all, this.shown.trim() === '');
    this.held = all.slice(all.length - keep);
    return this.emit(all.slice(0, all.length - keep));
  }

  /** At the end of the reply: the calls found, and the text still to show (held text that was no call). */
  finish(): { calls: TextCall[]; text: string } {
    const held = this.held;
    this.held = '';
    if (!held) return { calls: [], text: '' };
    const tagged = taggedCalls(held);
    if (tagged.calls.length) return tagged;
    const bare = bareCalls(held.replace(MISTRAL, ''), this.tools);
    if (bare.length) return { calls: bare, text: '' };
    return { calls: [], text: held };
  }

  private emit(text: string): string {
    this.shown += text;
    return text;
  }
}

function startOfCall(text: string, atStart: boolean): number {
  const tag = text.indexOf(OPEN);
  const mistral = text.indexOf(MISTRAL);
  const found = [tag, mistral].filter((i) => i >= 0);
  if (found.length) return Math.min(...found);
  if (atStart) {
    const first = text.search(/\S/);
    if (first >= 0 && (text[first] === '{' || text.startsWith('```json', first))) return first;
  }
  return -1;
}

function pendingSuffix(text: string, atStart: boolean): number {
  if (atStart && text.trim() === '') return text.length;
  for (const marker of [OPEN, MISTRAL]) {
    for (let n = Math.min(marker.length - 1, text.length); n > 0; n--) if (text.endsWith(marker.slice(0, n))) return n;
  }
  return 0;
}

function taggedCalls(text: string): { calls: TextCall[]; text: string } {
  const calls: TextCall[] = [];
  let rest = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(OPEN, at);
    if (open < 0) break;
    rest += text.slice(at, open);
    const close = text.indexOf(CLOSE, open);
    const body = text.slice(open + OPEN.length, close < 0 ? undefined : close);
    const call = toCall(parse(stripFence(body)));
    if (call) calls.push(call);
    else rest += text.slice(open, close < 0 ? undefined : close + CLOSE.length);
    at = close < 0 ? text.length : close + CLOSE.length;
  }
  rest += text.slice(at);
  return { calls, text: calls.length ? rest.trim() : text };
}

function bareCalls(text: string, tools: ReadonlySet<string>): TextCall[] {
  const value = parse(stripFence(text));
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.tool_calls) ? value.tool_calls : [value];
  const calls = list.map(toCall);
  if (!calls.length || calls.some((c) => !c || !tools.has(c.name))) return [];
  return calls as TextCall[];
}

function toCall(value: unknown): TextCall | undefined {
  if (!isRecord(value)) return undefined;
  const fn = isRecord(value.function) ? value.function : value;
  const name = typeof fn.name === 'string' ? fn.name.trim() : '';
  if (!name) return undefined;
  const args = fn.arguments ?? fn.parameters ?? {};
  return { name, arguments: typeof args === 'string' ? (parse(args) ?? args) : args };
}

function stripFence(text: string): string {
  return text.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
