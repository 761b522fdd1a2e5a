// Blocks → passages along the file's structure: a new passage at every heading and page; paragraphs and code
// blocks gather until the size target; a block too big alone is cut at lines (or sentences) with overlap.
import { createHash } from 'node:crypto';
import { MAX_HEADING_CHARS, type Block } from './parse/blocks.ts';
import type { ChunkInput } from './types.ts';

export interface ChunkOptions {
  chunkChars: number;
  overlapChars: number;
}

interface Piece {
  text: string;
  page?: number;
  lineStart?: number;
  lineEnd?: number;
}

export function chunkBlocks(blocks: Block[], options: ChunkOptions): ChunkInput[] {
  const chunks: ChunkInput[] = [];
  const headings: { level: number; title: string }[] = [];
  let current: Piece[] = [];
  let size = 0;
  let fresh = 0; // pieces added since the last passage (the rest is overlap)
  const flush = () => {
    if (!fresh) return;
    fresh = 0;
    chunks.push(toChunk(current, headings.map((h) => h.title)));
    // Overlap: the next passage starts with the tail of this one (whole pieces, when small enough).
    const tail: Piece[] = [];
    let kept = 0;
    for (let i = current.length - 1; i > 0 && kept + current[i]!.text.length <= options.overlapChars; i--) {
      tail.unshift(current[i]!);
      kept += current[i]!.text.length;
    }
    current = tail;
    size = kept;
  };
  const hardBreak = () => {
    flush();
    current = [];
    size = 0;
  };
  let page: number | undefined;
  for (const block of blocks) {
    if (block.heading) {
      hardBreak();
      while (headings.length && headings[headings.length - 1]!.level >= block.heading) headings.pop();
      headings.push({ level: block.heading, title: block.text.replace(/\s+/g, ' ').trim().slice(0, MAX_HEADING_CHARS + 1) });
      continue;
    }
    if (block.page !== page) {
      hardBreak();
      page = block.page;
    }
    for (const piece of split(block, options)) {
      if (size && size + piece.text.length > options.chunkChars) flush();
      current.push(piece);
      fresh++;
      size += piece.text.length + 2;
    }
  }
  flush();
  return chunks;
}

/** A block within the size target as it is; a bigger one in windows of lines (or words) that overlap. */
function split(block: Block, { chunkChars, overlapChars }: ChunkOptions): Piece[] {
  const base = { ...(block.page !== undefined ? { page: block.page } : {}) };
  if (block.text.length <= chunkChars) return [{ text: block.text, ...base, ...lines(block.lineStart, block.lineEnd) }];
  const rows = block.text.split('\n');
  const lineOf = (i: number) => (block.lineStart !== undefined ? block.lineStart + i : undefined);
  // Lines (an over-long line in words), else words; a word longer than a passage is cut.
  const units = (rows.length > 1 ? rows.flatMap((text, i) => (text.length > chunkChars ? words(text).map((w) => ({ ...w, line: lineOf(i) })) : [{ text, line: lineOf(i) }])) : words(block.text))
    .flatMap((unit) => (unit.text.length > chunkChars ? cut(unit.text, chunkChars).map((text) => ({ ...unit, text })) : [unit]));
  const pieces: Piece[] = [];
  let start = 0;
  while (start < units.length) {
    let end = start;
    let length = 0;
    while (end < units.length && (end === start || length + units[end]!.text.length < chunkChars)) length += units[end++]!.text.length + 1;
    const slice = units.slice(start, end);
    const first = slice[0]!.line;
    const last = slice[slice.length - 1]!.line;
    pieces.push({ text: slice.map((u) => u.text).join(rows.length > 1 ? '\n' : ' '), ...base, ...lines(first, last) });
    if (end >= units.length) break;
    // step back over the overlap, always moving forward
    let back = end;
    let overlap = 0;
    while (back > start + 1 && overlap + units[back - 1]!.text.length <= overlapChars) overlap += units[--back]!.text.length + 1;
    start = back;
  }
  return pieces;
}

function words(text: string): { text: string; line?: number }[] {
  // sentences when there are some, else words
  const found = sentences(text);
  return (found.length > 1 ? found : text.split(/\s+/)).map((t) => ({ text: t.trim() })).filter((u) => u.text);
}

/**
 * Sentences: a run of `.`, `!` or `?` followed by white space (or the end) ends one. A scan, not a regular
 * expression: the one used before backtracked quadratically on a long text with a stray `.`.
 */
export function sentences(text: string): string[] {
  const found: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== '.' && char !== '!' && char !== '?') continue;
    let end = i + 1;
    while (end < text.length && (text[end] === '.' || text[end] === '!' || text[end] === '?')) end++;
    i = end - 1;
    if (end < text.length && !/\s/.test(text[end]!)) continue;
    while (end < text.length && /\s/.test(text[end]!)) end++;
    found.push(text.slice(start, end));
    start = end;
    i = end - 1;
  }
  if (start < text.length) found.push(text.slice(start));
  return found;
}

function cut(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.slice(at, at + size));
  return parts;
}

function lines(start: number | undefined, end: number | undefined): Pick<Piece, 'lineStart' | 'lineEnd'> {
  return start !== undefined ? { lineStart: start, lineEnd: end ?? start } : {};
}

function toChunk(pieces: Piece[], headings: string[]): ChunkInput {
  const text = pieces.map((p) => p.text).join('\n\n');
  const pages = pieces.flatMap((p) => (p.page !== undefined ? [p.page] : []));
  const starts = pieces.flatMap((p) => (p.lineStart !== undefined ? [p.lineStart] : []));
  const ends = pieces.flatMap((p) => (p.lineEnd !== undefined ? [p.lineEnd] : []));
  return {
    text,
    hash: createHash('sha256').update(headings.join('\u0000')).update('\u0001').update(text).digest('hex'),
    headings: [...headings],
    ...(pages.length ? { pageStart: Math.min(...pages), pageEnd: Math.max(...pages) } : {}),
    ...(starts.length ? { lineStart: Math.min(...starts), lineEnd: Math.max(...ends) } : {}),
  };
}
