// A range of a granted file, read fresh from disk through openGranted (no symlink out of the source, checked on
// the opened file): lines of text and code here, pages of a PDF or the start of any other document from a
// parser process; capped so one read cannot flood the context.
import { decodeText, formatOf } from './parse/formats.ts';
import type { DocumentParser } from './parse/parser.ts';
import { readGranted, type SymlinkPolicy } from './granted-file.ts';
import type { KnowledgeSource } from './types.ts';

const MAX_CHARS = 20_000;
const DEFAULT_LINES = 200;

export interface ReadRange {
  page?: number;
  pageEnd?: number;
  lineStart?: number;
  lineEnd?: number;
}

export interface DocumentRange {
  text: string;
  /** What was read, e.g. `p. 2–3` or `lines 10–40 of 120`. */
  range: string;
  truncated: boolean;
}

export interface ReadContext {
  source: Pick<KnowledgeSource, 'path' | 'kind'>;
  symlinks: SymlinkPolicy;
  maxBytes: number;
  parser: DocumentParser;
  signal?: AbortSignal;
}

export async function readRange(file: string, range: ReadRange, context: ReadContext): Promise<DocumentRange> {
  const format = formatOf(file);
  if (format === 'binary') throw new Error(`${file} is a binary file`);
  const bytes = await readGranted(file, context.source, context.symlinks, context.maxBytes);
  if (format === 'text' || format === 'code' || format === 'markdown' || format === 'csv') {
    const lines = decodeText(bytes).split(/\r?\n/);
    const start = Math.max(1, range.lineStart ?? 1);
    const end = Math.min(lines.length, range.lineEnd ?? start + DEFAULT_LINES - 1);
    if (start > lines.length) throw new Error(`${file} has only ${lines.length} lines`);
    const numbered = lines.slice(start - 1, end).map((line, i) => `${String(start + i).padStart(5)}  ${line}`).join('\n');
    return cap(numbered, `lines ${start}–${end} of ${lines.length}`);
  }
  const parsed = await context.parser.parse({ format, name: file, bytes }, context.signal);
  const blocks = parsed.blocks ?? [];
  if (parsed.pages !== undefined) {
    const first = Math.max(1, range.page ?? 1);
    const last = Math.min(parsed.pages, range.pageEnd ?? first);
    if (first > parsed.pages) throw new Error(`${file} has only ${parsed.pages} pages`);
    const text = blocks.filter((b) => b.page !== undefined && b.page >= first && b.page <= last).map((b) => b.text).join('\n\n');
    return cap(text, `${first === last ? `p. ${first}` : `pp. ${first}–${last}`} of ${parsed.pages}`);
  }
  const text = blocks.map((b) => (b.heading ? `${'#'.repeat(b.heading)} ${b.text}` : b.text)).join('\n\n');
  return cap(text, 'the document');
}

function cap(text: string, range: string): DocumentRange {
  return text.length > MAX_CHARS ? { text: text.slice(0, MAX_CHARS), range, truncated: true } : { text, range, truncated: false };
}

