// Some models stream their reasoning inline as <think>…</think>; route it apart from the answer.
const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitPiece {
  kind: 'text' | 'thinking';
  text: string;
}

export class ThinkSplitter {
  private inside = false;
  private pending = '';

  push(chunk: string): SplitPiece[] {
    this.pending += chunk;
    const pieces: SplitPiece[] = [];
    while (this.pending) {
      const tag = this.inside ? CLOSE : OPEN;
      const at = this.pending.indexOf(tag);
      if (at >= 0) {
        this.emit(pieces, this.pending.slice(0, at));
        this.pending = this.pending.slice(at + tag.length);
        this.inside = !this.inside;
        continue;
      }
      // Keep a possible partial tag at the end for the next chunk.
      const keep = partialSuffix(this.pending, tag);
      this.emit(pieces, this.pending.slice(0, this.pending.length - keep));
      this.pending = this.pending.slice(this.pending.length - keep);
      break;
    }
    return pieces;
  }

  flush(): SplitPiece[] {
    const pieces: SplitPiece[] = [];
    this.emit(pieces, this.pending);
    this.pending = '';
    return pieces;
  }

  private emit(pieces: SplitPiece[], text: string): void {
    if (text) pieces.push({ kind: this.inside ? 'thinking' : 'text', text });
  }
}

function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
