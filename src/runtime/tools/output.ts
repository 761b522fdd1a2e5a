/** Renders a tool's return value as text for the model. */
export function renderOutput(value: unknown): string {
  if (value === undefined || value === null) return '(no output)';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Caps text at `maxChars`, with a notice the model (and the user) can see. */
export function capOutput(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  const notice = `\n[output truncated by Rein: showing the first ${maxChars} of ${text.length} characters]`;
  return { text: text.slice(0, maxChars) + notice, truncated: true };
}
