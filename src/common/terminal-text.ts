// Shared by the CLI (terminal output) and the runtime (text from servers that it puts in its own messages).
// Text from tools, models and MCP servers is shown on the terminal with its control characters made visible, so it
// cannot move the cursor, erase lines, set titles or links, or forge Rein's own lines (a fake "✓ approval … allow").
// Newlines and tabs stay; everything else below 0x20, DEL, the C1 range and bidi overrides become `\xNN` / `\uNNNN`.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\r') return '\\r';
    if (char === '\x1b') return '\\e';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One line of untrusted text: newlines shown as `\n` too (for titles, names, single-line fields). */
export function escapeLine(text: string): string {
  return escapeForTerminal(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** Every string inside a value (event, question details) escaped as one line. */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeLine(value) as T;
  if (Array.isArray(value)) return value.map(escapeStrings) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeStrings(item)])) as T;
  return value;
}

/**
 * The last line of defence for everything a CLI command prints (see src/cli/safe-output.ts): like escapeForTerminal,
 * but DEL, C1 and bidi controls become `\uNNNN`, so JSON output stays valid JSON (and means the same).
 */
export function escapeOutput(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\r') return '\\r';
    if (char === '\x1b') return '\\e';
    return code < 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
