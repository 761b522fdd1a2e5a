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

/** Heading text kept (a heading heads every passage below it). */
export const MAX_HEADING_CHARS = 200;

/**
 * An ATX heading (`## Title ##`) read without a regular expression: the pattern that did this backtracked
 * cubically on a heading with a long run of spaces (a poison pill). Linear in the line's length.
 */
export function atxHeading(row: string): { level: number; text: string } | undefined {
  let level = 0;
  while (level < row.length && row[level] === '#') level++;
  if (level < 1 || level > 6 || level >= row.length || !isSpace(row[level]!)) return undefined;
  let text = row.slice(level).trim();
  // A closing run of `#` counts only after a space (`# C#` keeps its `#`).
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end < text.length && (end === 0 || isSpace(text[end - 1]!))) text = text.slice(0, end).trimEnd();
  if (!text) return undefined;
  return { level, text: text.length > MAX_HEADING_CHARS ? `${text.slice(0, MAX_HEADING_CHARS)}…` : text };
}

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t';
}

/** A code fence (```` ``` ```` or `~~~`) after optional indentation. */
function fenceOf(row: string): string | undefined {
  const body = row.trimStart();
  return body.startsWith('```') ? '```' : body.startsWith('~~~') ? '~~~' : undefined;
}

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
    const opening = fenceOf(row);
    if (opening) {
      flush(i);
      start = i;
      fence = opening;
      buffer.push(row);
      return;
    }
    const heading = atxHeading(row);
    if (heading) {
      flush(i);
      blocks.push({ text: heading.text, heading: heading.level, ...(lines ? { lineStart: i + 1, lineEnd: i + 1 } : {}) });
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
    if (body.trim()) blocks.push({ text: body.trimEnd(), lineStart: start + 1, lineEnd: end, ...(code ? { code } : {}) });
    start = -1;
  };
  rows.forEach((row, i) => {
    if (!row.trim()) flush(i);
    else if (start < 0) start = i;
  });
  flush(rows.length);
  return blocks;
}
