// Keeps the last lines a server wrote to stderr, so failures can say why ("Connection closed" alone says nothing).
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly maxLines: number;

  constructor(maxLines = 20) {
    this.maxLines = maxLines;
  }

  write(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n/);
    this.partial = parts.pop()!.slice(-2000);
    for (const line of parts) if (line.trim()) this.push(line);
  }

  /** The last lines, including an unterminated one. */
  tail(count = this.maxLines): string[] {
    const all = this.partial.trim() ? [...this.lines, this.partial] : this.lines;
    return all.slice(-count);
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }

  private push(line: string): void {
    this.lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}
