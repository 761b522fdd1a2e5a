// The parsers' common output: a file as a list of blocks (headings, paragraphs, code) with where each one sits.

export interface Block {
  text: string;
  /** A heading starts a section; its level nests (1 outermost). */
  heading?: number;
  /** Kept whole where possible (code fences, source files). */
  code?: boolean;
  page?: number;
  lineStart?: number;
  lineEnd?: number;
}

export interface ParsedDocument {
  blocks: Block[];
  /** Pages of paged formats (PDF). */
  pages?: number;
}

/** A file that cannot be indexed for a stated reason (encrypted, corrupt, binary, …): recorded per file. */
export class UnreadableFileError extends Error {
  readonly skip: boolean;
  /** `skip`: nothing to index (binary, empty) rather than a failure. */
  constructor(message: string, options: { skip?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UnreadableFileError';
    this.skip = options.skip ?? false;
  }
}

const ATX_HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/**
 * Markdown (also the shape HTML and DOCX are converted to) into blocks: ATX headings, fenced code kept whole,
 * paragraphs split at blank lines. `lines`: record 1-based line numbers (false for converted text).
 */
export function markdownBlocks(text: string, lines = true): Block[] {
  const blocks: Block[] = [];
  const rows = text.split(/\r?\n/);
  let buffer: string[] = [];
  let start = 0;
  let fence: string | undefined;
  const flush = (end: number, code = false) => {
    const body = buffer.join('\n').trim();
    if (body) blocks.push({ text: body, ...(code ? { code } : {}), ...(lines ? { lineStart: start + 1, lineEnd: end } : {}) });
    buffer = [];
  };
  rows.forEach((row, i) => {
    if (fence) {
      buffer.push(row);
      if (row.trim().startsWith(fence)) {
        flush(i + 1, true);
        fence = undefined;
      }
      return;
    }
    const opening = FENCE.exec(row);
    if (opening) {
      flush(i);
      start = i;
      fence = opening[1];
      buffer.push(row);
      return;
    }
    const heading = ATX_HEADING.exec(row);
    if (heading) {
      flush(i);
      blocks.push({ text: heading[2]!, heading: heading[1]!.length, ...(lines ? { lineStart: i + 1, lineEnd: i + 1 } : {}) });
      return;
    }
    if (!row.trim()) {
      flush(i);
      return;
    }
    if (!buffer.length) start = i;
    buffer.push(row);
  });
  flush(rows.length, Boolean(fence));
  return blocks;
}

/** Plain text and source code: blocks at blank lines, with line numbers. */
export function textBlocks(text: string, code = false): Block[] {
  const blocks: Block[] = [];
  const rows = text.split(/\r?\n/);
  let start = -1;
  const flush = (end: number) => {
    if (start < 0) return;
    const body = rows.slice(start, end).join('\n');
    if (body.trim()) blocks.push({ text: body.replace(/\s+$/, ''), lineStart: start + 1, lineEnd: end, ...(code ? { code } : {}) });
    start = -1;
  };
  rows.forEach((row, i) => {
    if (!row.trim()) flush(i);
    else if (start < 0) start = i;
  });
  flush(rows.length);
  return blocks;
}
