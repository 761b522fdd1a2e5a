// Compressed content measured before a parser unpacks it: ZIP entries (DOCX, XLSX, PPTX, ODF, EPUB) and PDF
// Flate streams are inflated and counted — never kept — so a bomb is refused after at most `max_expanded_mb` of
// work, whatever sizes its headers claim. A DOCX's paragraphs are counted on the way.
import zlib from 'node:zlib';
import { mb, ParseLimitError, RATIO_FLOOR_BYTES, type ParseLimits } from './limits.ts';

/** Entries of one archive at most (real documents have hundreds). */
const MAX_ZIP_ENTRIES = 20_000;
/** How far back from a PDF `stream` keyword its dictionary is looked for. */
const PDF_DICT_WINDOW = 2048;

interface Budget {
  limits: ParseLimits;
  used: number;
}

/**
 * Inflates `data` (raw deflate or zlib), counting; stops past `cap`, or when `onChunk` throws (rejecting with
 * that). Corrupt data ends the count (the parser reports it).
 */
function inflatedSize(data: Uint8Array, raw: boolean, cap: number, onChunk?: (chunk: Buffer) => void): Promise<{ size: number; over: boolean }> {
  return new Promise((resolve, reject) => {
    const inflater = raw ? zlib.createInflateRaw({ chunkSize: 256 * 1024 }) : zlib.createInflate({ chunkSize: 256 * 1024 });
    let size = 0;
    let done = false;
    const end = (over: boolean) => {
      if (done) return;
      done = true;
      if (over) inflater.destroy();
      resolve({ size, over });
    };
    inflater.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      try {
        onChunk?.(chunk);
      } catch (error) {
        done = true;
        inflater.destroy();
        return reject(error as Error);
      }
      if (size > cap) end(true);
    });
    inflater.on('end', () => end(false));
    inflater.on('error', () => end(false));
    inflater.end(data);
  });
}

/** Counts one compressed part against the file's budget and its own ratio; throws past either. */
async function measure(budget: Budget, what: string, data: Uint8Array, raw: boolean, onChunk?: (chunk: Buffer) => void): Promise<void> {
  const { limits } = budget;
  const ratioCap = Math.max(RATIO_FLOOR_BYTES, data.length * limits.maxRatio);
  const left = limits.maxExpandedBytes - budget.used;
  const { size, over } = await inflatedSize(data, raw, Math.min(ratioCap, left), onChunk);
  budget.used += size;
  if (!over) return;
  if (ratioCap <= left) throw new ParseLimitError(`${what} expands more than ${limits.maxRatio}× (${mb(data.length)} packed; knowledge.parse.max_ratio): a compression bomb?`);
  throw new ParseLimitError(`unpacks to more than ${mb(limits.maxExpandedBytes)} (knowledge.parse.max_expanded_mb), at ${what}`);
}

/** ZIP-based documents: every entry measured; a DOCX's `<w:p>` paragraphs counted. */
export async function guardZip(bytes: Uint8Array, limits: ParseLimits, countParagraphs: boolean): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findBackwards(bytes, [0x50, 0x4b, 0x05, 0x06], Math.max(0, bytes.length - 65_557));
  if (eocd < 0) return; // not a ZIP: the parser says it is corrupt
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ParseLimitError('a ZIP64 archive (over 4 GB or 65,535 parts) is not read');
  if (count > MAX_ZIP_ENTRIES) throw new ParseLimitError(`the archive has ${count} parts (at most ${MAX_ZIP_ENTRIES})`);
  const budget: Budget = { limits, used: 0 };
  let paragraphs = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return; // corrupt: the parser reports it
    const method = view.getUint16(at + 10, true);
    const packed = view.getUint32(at + 20, true);
    const declared = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8');
    const local = view.getUint32(at + 42, true);
    at = next;
    if (declared > limits.maxExpandedBytes - budget.used) throw new ParseLimitError(`unpacks to more than ${mb(limits.maxExpandedBytes)} (knowledge.parse.max_expanded_mb), at ${name}`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) continue;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, Math.min(bytes.length, start + packed));
    if (method === 0) {
      budget.used += data.length;
      continue;
    }
    if (method !== 8) continue; // the parser refuses what it cannot unpack
    const counting = countParagraphs && name.startsWith('word/') && name.endsWith('.xml') ? paragraphCounter((n) => {
      paragraphs += n;
      if (paragraphs > limits.maxParagraphs) throw new ParseLimitError(`more than ${limits.maxParagraphs.toLocaleString('en-US')} paragraphs (knowledge.parse.max_paragraphs)`);
    }) : undefined;
    await measure(budget, name, data, true, counting);
  }
}

/** Counts `<w:p>` and `<w:p ` across chunk boundaries. */
function paragraphCounter(add: (n: number) => void): (chunk: Buffer) => void {
  let carry = Buffer.alloc(0);
  return (chunk) => {
    const text = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let n = 0;
    for (let at = text.indexOf('<w:p'); at >= 0 && at + 4 < text.length; at = text.indexOf('<w:p', at + 4)) {
      const after = text[at + 4];
      if (after === 0x3e /* > */ || after === 0x20 || after === 0x2f /* / */) n++;
    }
    carry = Buffer.from(text.subarray(Math.max(0, text.length - 4)));
    add(n);
  };
}

/** PDF: every stream whose dictionary names FlateDecode, measured. */
export async function guardPdf(bytes: Uint8Array, limits: ParseLimits): Promise<void> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const budget: Budget = { limits, used: 0 };
  let streams = 0;
  for (let at = buffer.indexOf('stream'); at >= 0; at = buffer.indexOf('stream', at + 6)) {
    if (at >= 3 && buffer.toString('latin1', at - 3, at) === 'end') continue;
    let start = at + 6;
    if (buffer[start] === 0x0d) start++;
    if (buffer[start] !== 0x0a) continue;
    start++;
    const dictionary = buffer.toString('latin1', Math.max(0, at - PDF_DICT_WINDOW), at);
    const dictStart = dictionary.lastIndexOf('obj');
    if (!dictionary.slice(dictStart < 0 ? 0 : dictStart).includes('/FlateDecode')) continue;
    const end = buffer.indexOf('endstream', start);
    if (end < 0) break;
    streams++;
    await measure(budget, `stream ${streams}`, bytes.subarray(start, end), false);
    at = end;
  }
}

function findBackwards(bytes: Uint8Array, signature: number[], floor: number): number {
  for (let at = bytes.length - 22; at >= floor; at--) {
    if (bytes[at] === signature[0] && bytes[at + 1] === signature[1] && bytes[at + 2] === signature[2] && bytes[at + 3] === signature[3]) return at;
  }
  return -1;
}
