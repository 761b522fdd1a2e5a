/** Captured console output of one execution, cut at a character cap with a visible marker. */
export class ConsoleCapture {
  private text = '';
  private readonly maxChars: number;
  truncated = false;

  constructor(maxChars: number) {
    this.maxChars = maxChars;
  }

  /** Adds a line; returns true once the cap is reached (the guest then stops sending). */
  write(level: unknown, line: unknown): boolean {
    if (this.truncated) return true;
    const prefix = level === 'log' || level === 'info' ? '' : `[${String(level)}] `;
    const next = `${this.text}${prefix}${String(line)}\n`;
    if (next.length > this.maxChars) {
      this.text = `${next.slice(0, this.maxChars)}\n[console output cut at ${this.maxChars} characters]`;
      this.truncated = true;
    } else {
      this.text = next;
    }
    return this.truncated;
  }

  toString(): string {
    return this.text.replace(/\n$/, '');
  }
}
