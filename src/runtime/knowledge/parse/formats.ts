// One parser per format, each over a maintained library: unpdf (PDF.js) for PDF pages, mammoth for DOCX,
// html-to-text for HTML, officeparser for PPTX/XLSX/ODF/RTF/EPUB; Markdown, CSV, text and code are read here.
// The libraries load on first use: starting Rein (or any `rein` command) does not pay for them. This runs in a
// parser worker (parse/worker.ts), never in the host: compressed content is measured first (inflate-guard.ts),
// and the worker's memory and CPU are capped.
import { guardPdf, guardZip } from './inflate-guard.ts';
import { ParseLimitError, type ParseLimits } from './limits.ts';
import { markdownBlocks, MAX_HEADING_CHARS, textBlocks, UnreadableFileError, type Block, type ParsedDocument } from './blocks.ts';

export type Format = 'pdf' | 'docx' | 'office' | 'markdown' | 'html' | 'csv' | 'code' | 'text';

const BY_EXTENSION: Record<string, Format> = {
  pdf: 'pdf',
  docx: 'docx',
  pptx: 'office', xlsx: 'office', odt: 'office', odp: 'office', ods: 'office', rtf: 'office', epub: 'office',
  md: 'markdown', markdown: 'markdown', mdx: 'markdown',
  html: 'html', htm: 'html', xhtml: 'html',
  csv: 'csv', tsv: 'csv',
  txt: 'text', text: 'text', log: 'text', rst: 'text', adoc: 'text',
};

/** Formats of binary files nobody can index as text: skipped without reading them. */
const BINARY = new Set('png jpg jpeg gif bmp webp ico tiff psd mp3 mp4 mov avi mkv wav flac ogg zip gz tgz bz2 xz 7z rar tar jar war exe dll so dylib bin o a class pyc wasm woff woff2 ttf otf eot sqlite db doc xls ppt iso dmg'.split(' '));

export function formatOf(file: string): Format | 'binary' {
  const ext = file.toLowerCase().split('.').pop() ?? '';
  if (!file.includes('.')) return 'text';
  if (BINARY.has(ext)) return 'binary';
  return BY_EXTENSION[ext] ?? 'code';
}

/** Office formats that are ZIP archives (RTF is not). */
const ZIPPED = new Set(['pptx', 'xlsx', 'odt', 'odp', 'ods', 'epub']);

/** `file`: its name tells office formats apart (officeparser cannot always tell from the bytes). */
export async function parseFile(format: Format, bytes: Uint8Array, file: string, limits: ParseLimits): Promise<ParsedDocument> {
  switch (format) {
    case 'pdf':
      await guardPdf(bytes, limits);
      return parsePdf(bytes, limits);
    case 'docx':
      await guardZip(bytes, limits, true);
      return parseDocx(bytes);
    case 'office': {
      const extension = file.toLowerCase().split('.').pop() ?? '';
      if (ZIPPED.has(extension)) await guardZip(bytes, limits, false);
      return parseOfficeFile(bytes, extension);
    }
    case 'html':
      return { blocks: markdownBlocks(await htmlToMarkdown(decodeText(bytes)), false) };
    case 'markdown':
      return { blocks: markdownBlocks(decodeText(bytes)) };
    case 'csv':
      return { blocks: csvBlocks(decodeText(bytes)) };
    case 'code':
      return { blocks: textBlocks(decodeText(bytes), true) };
    case 'text':
      return { blocks: textBlocks(decodeText(bytes)) };
  }
}

/** UTF-8 text, refusing bytes that are not text (a NUL in the first 8 KiB, or invalid UTF-8). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.subarray(0, 8192).includes(0)) throw new UnreadableFileError('binary file (not text)', { skip: true });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new UnreadableFileError('binary file (not valid UTF-8 text)', { skip: true });
  }
}

async function parsePdf(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedDocument> {
  let pages: string[];
  const { extractText, getDocumentProxy } = await import('unpdf');
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      if (pdf.numPages > limits.maxPages) throw new ParseLimitError(`${pdf.numPages.toLocaleString('en-US')} pages, more than ${limits.maxPages.toLocaleString('en-US')} (knowledge.parse.max_pages)`);
      pages = (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await (pdf as unknown as { loadingTask: { destroy(): Promise<void> } }).loadingTask.destroy();
    }
  } catch (error) {
    if (error instanceof ParseLimitError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new UnreadableFileError('encrypted PDF (needs a password)', { cause: error });
    throw new UnreadableFileError(`corrupt or unsupported PDF: ${(error as Error).message}`, { cause: error });
  }
  const blocks = pages.flatMap((text, i) => textBlocks(text).map(({ text: t }) => ({ text: t, page: i + 1 })));
  if (!blocks.length && pages.length) throw new UnreadableFileError('PDF has no text layer (scanned pages need OCR)', { skip: true });
  return { blocks, pages: pages.length };
}

async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (error) {
    throw new UnreadableFileError(`corrupt DOCX: ${(error as Error).message}`, { cause: error });
  }
  return { blocks: markdownBlocks(await htmlToMarkdown(html), false) };
}

interface OfficeNode {
  type: string;
  text?: string;
  children?: OfficeNode[];
  metadata?: { level?: number; slideNumber?: number; sheetName?: string };
}

async function parseOfficeFile(bytes: Uint8Array, extension: string): Promise<ParsedDocument> {
  const { parseOffice } = await import('officeparser');
  let content: OfficeNode[];
  try {
    const ast = await parseOffice(Buffer.from(bytes), { ocr: false, extractAttachments: false, ...(extension ? { fileType: extension } : {}) } as Parameters<typeof parseOffice>[1]);
    content = ast.content as unknown as OfficeNode[];
  } catch (error) {
    throw new UnreadableFileError(`corrupt or unsupported document: ${(error as Error).message}`, { cause: error });
  }
  const blocks: Block[] = [];
  const walk = (nodes: OfficeNode[]) => {
    for (const node of nodes) {
      if (node.type === 'slide') blocks.push({ text: `Slide ${node.metadata?.slideNumber ?? blocks.length + 1}`, heading: 1 });
      else if (node.type === 'sheet') blocks.push({ text: node.metadata?.sheetName ?? 'Sheet', heading: 1 });
      if (node.type === 'heading' && node.text?.trim()) blocks.push({ text: node.text.trim().slice(0, MAX_HEADING_CHARS), heading: Math.min(6, (node.metadata?.level ?? 1) + 1) });
      else if (['paragraph', 'row', 'code', 'note', 'definitionTerm', 'definitionDescription'].includes(node.type) && node.text?.trim()) {
        blocks.push({ text: node.text.trim(), ...(node.type === 'code' ? { code: true } : {}) });
      } else if (node.children) walk(node.children);
    }
  };
  walk(content);
  return { blocks };
}

/** CSV rows as blocks with line numbers; the header row heads every passage so each one reads on its own. */
function csvBlocks(text: string): Block[] {
  const rows = text.split(/\r?\n/);
  const header = rows[0]?.trim();
  if (!header) return [];
  const blocks: Block[] = [{ text: `Columns: ${header}`, heading: 1 }];
  rows.slice(1).forEach((row, i) => {
    if (row.trim()) blocks.push({ text: row, lineStart: i + 2, lineEnd: i + 2 });
  });
  return blocks;
}

/** HTML as Markdown-like text: h1–h6 become `#` headings, so sections survive into passages. */
async function htmlToMarkdown(html: string): Promise<string> {
  const { convert: htmlToText } = await import('html-to-text');
  return htmlToText(html, {
    wordwrap: false,
    selectors: [
      ...[1, 2, 3, 4, 5, 6].map((level) => ({ selector: `h${level}`, format: 'blockString', options: { leadingLineBreaks: 2, trailingLineBreaks: 2, prefix: `${'#'.repeat(level)} ` } })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
    formatters: {
      blockString: (elem, walk, builder, options) => {
        builder.openBlock({ leadingLineBreaks: options.leadingLineBreaks ?? 2 });
        builder.addLiteral(String((options as { prefix?: string }).prefix ?? ''));
        walk(elem.children, builder);
        builder.closeBlock({ trailingLineBreaks: options.trailingLineBreaks ?? 2 });
      },
    },
  });
}
