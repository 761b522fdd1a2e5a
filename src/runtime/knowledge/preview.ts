// A cited passage in its surrounding text, for the UI's source preview: the lines around it in a text or code file,
// its page of a PDF (or other paged document), else the document's text around where the passage is found.
import type { KnowledgePreview } from '../../common/index.ts';
import { readGranted } from './granted-file.ts';
import { decodeText, formatOf } from './parse/formats.ts';
import type { ReadContext } from './reader.ts';

/** Lines shown above and below a cited line range. */
const CONTEXT_LINES = 12;
/** Characters shown around a passage in an unpaged document. */
const CONTEXT_CHARS = 2_500;
const MAX_CHARS = 40_000;

export interface PreviewAt {
  page?: number | undefined;
  lineStart?: number | undefined;
  lineEnd?: number | undefined;
}

/** Read like `read_document`: opened inside its source (no symlink out of it), parsed in a parser process. */
export async function previewPassage(file: string, at: PreviewAt, passage: string | undefined, context: ReadContext): Promise<KnowledgePreview> {
  const format = formatOf(file);
  if (format === 'binary') throw new Error(`${file} is a binary file`);
  const bytes = await readGranted(file, context.source, context.symlinks, context.maxBytes);
  if (format === 'text' || format === 'code' || format === 'markdown' || format === 'csv') {
    const lines = decodeText(bytes).split(/\r?\n/);
    const found = at.lineStart === undefined && passage ? lineOf(lines, passage) : undefined;
    const start = at.lineStart ?? found?.start;
    if (start === undefined) return around(file, lines.join('\n'), passage, 'lines');
    const end = Math.min(lines.length, Math.max(start, at.lineEnd ?? found?.end ?? start));
    if (start > lines.length) throw new Error(`${file} has only ${lines.length} lines; the cited lines ${start}–${end} are gone (was it changed?)`);
    const first = Math.max(1, start - CONTEXT_LINES);
    const last = Math.min(lines.length, end + CONTEXT_LINES);
    const before = lines.slice(first - 1, start - 1).join('\n');
    const cited = lines.slice(start - 1, end).join('\n');
    const text = lines.slice(first - 1, last).join('\n');
    const offset = before ? before.length + 1 : 0;
    return { file, kind: 'lines', range: `lines ${start}–${end} of ${lines.length}`, firstLine: first, text, highlight: { start: offset, end: offset + cited.length }, truncated: false };
  }
  const parsed = await context.parser.parse({ format, name: file, bytes }, context.signal);
  const blocks = parsed.blocks ?? [];
  if (parsed.pages !== undefined) {
    const page = Math.min(Math.max(1, at.page ?? pageOf(blocks, passage) ?? 1), parsed.pages);
    const text = blocks.filter((b) => b.page === page).map((b) => b.text).join('\n\n');
    const capped = text.slice(0, MAX_CHARS);
    const highlight = passage ? locate(capped, passage) : undefined;
    return { file, kind: 'page', range: `p. ${page} of ${parsed.pages}`, page, pages: parsed.pages, text: capped, ...(highlight ? { highlight } : {}), truncated: text.length > capped.length };
  }
  const text = blocks.map((b) => (b.heading ? `${'#'.repeat(b.heading)} ${b.text}` : b.text)).join('\n\n');
  return around(file, text, passage, 'document');
}

/** The document's text around the passage (its start when the passage is not found). */
function around(file: string, text: string, passage: string | undefined, kind: KnowledgePreview['kind']): KnowledgePreview {
  const hit = passage ? locate(text, passage) : undefined;
  const from = hit ? Math.max(0, hit.start - CONTEXT_CHARS) : 0;
  const to = Math.min(text.length, hit ? hit.end + CONTEXT_CHARS : MAX_CHARS);
  const shown = text.slice(from, to);
  return {
    file,
    kind: kind === 'lines' ? 'document' : kind,
    range: hit ? 'around the passage' : 'the start of the document',
    text: shown,
    ...(hit ? { highlight: { start: hit.start - from, end: hit.end - from } } : {}),
    truncated: from > 0 || to < text.length,
  };
}

/**
 * Where `passage` is in `text`, comparing with whitespace collapsed (extracted PDF text and stored passages wrap
 * differently); falls back to the passage's first words. Offsets are in `text`.
 */
export function locate(text: string, passage: string): { start: number; end: number } | undefined {
  const { flat, map } = collapse(text);
  const needle = collapse(passage).flat.trim();
  if (!needle) return undefined;
  for (const probe of [needle, needle.slice(0, 120), needle.slice(0, 50)]) {
    if (probe.length < 12 && probe !== needle) continue;
    const at = flat.indexOf(probe);
    if (at < 0) continue;
    return { start: map[at]!, end: map[at + probe.length - 1]! + 1 };
  }
  return undefined;
}

/** Text with every run of whitespace as one space, and for each of its characters the offset in the original. */
function collapse(text: string): { flat: string; map: number[] } {
  let flat = '';
  const map: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const white = /\s/.test(text[i]!);
    if (white && space) continue;
    flat += white ? ' ' : text[i]!;
    map.push(i);
    space = white;
  }
  return { flat, map };
}

function lineOf(lines: string[], passage: string): { start: number; end: number } | undefined {
  const text = lines.join('\n');
  const hit = locate(text, passage);
  if (!hit) return undefined;
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  return { start: lineAt(hit.start), end: lineAt(Math.max(hit.start, hit.end - 1)) };
}

function pageOf(blocks: { text: string; page?: number }[], passage: string | undefined): number | undefined {
  if (!passage) return undefined;
  return blocks.find((b) => b.page !== undefined && locate(b.text, passage))?.page;
}
