// Hostile documents, generated small on disk where the attack is expansion: a Markdown heading with a long run
// of spaces (it froze the host's regex), a DOCX whose XML expands to hundreds of MB (honest or lying ZIP headers),
// a PDF with 20,000 pages, and a PDF whose one Flate stream expands to 600 MB.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const MB = 1024 * 1024;

export function pathologicalMarkdown(file: string, spaces = 100_000): string {
  fs.writeFileSync(file, `# a${' '.repeat(spaces)}x\n\nThe pathological heading is above.\n`);
  return file;
}

/** Deflates prefix + `unit` repeated to `bytes` + suffix (streaming: memory stays small), raw (ZIP) or zlib (PDF). */
async function deflateRepeated(unit: Buffer, bytes: number, raw: boolean, prefix = Buffer.alloc(0), suffix = Buffer.alloc(0)): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflater = raw ? zlib.createDeflateRaw({ level: 1 }) : zlib.createDeflate({ level: 1 });
  const parts: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => parts.push(chunk));
  const ended = new Promise((resolve) => deflater.on('end', resolve));
  const block = Buffer.concat(Array.from({ length: Math.max(1, Math.floor(MB / unit.length)) }, () => unit));
  let crc = zlib.crc32(prefix);
  deflater.write(prefix);
  let size = 0;
  while (size < bytes) {
    const piece = size + block.length <= bytes ? block : block.subarray(0, bytes - size);
    crc = zlib.crc32(piece, crc);
    size += piece.length;
    if (!deflater.write(piece)) await new Promise((resolve) => deflater.once('drain', resolve));
  }
  deflater.end(suffix);
  await ended;
  return { data: Buffer.concat(parts), crc: zlib.crc32(suffix, crc), size: prefix.length + size + suffix.length };
}

interface ZipEntry {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
  /** The size the headers claim (a lying archive claims less). */
  declared?: number;
  deflated: boolean;
}

function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const header = (signature: number, size: number) => {
      const b = Buffer.alloc(size);
      b.writeUInt32LE(signature, 0);
      return b;
    };
    const local = header(0x04034b50, 30);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.deflated ? 8 : 0, 8);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declared ?? entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = header(0x02014b50, 46);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(entry.deflated ? 8 : 0, 10);
    dir.writeUInt32LE(entry.crc >>> 0, 16);
    dir.writeUInt32LE(entry.data.length, 20);
    dir.writeUInt32LE(entry.declared ?? entry.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    central.push(dir, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const stored = (name: string, text: string): ZipEntry => {
  const data = Buffer.from(text);
  return { name, data, crc: zlib.crc32(data), size: data.length, deflated: false };
};

/**
 * A DOCX whose word/document.xml expands to `mb` MB: paragraphs (`paragraphs`), or one paragraph of text. `lie`:
 * the ZIP headers claim 1 KB.
 */
export async function docxBomb(file: string, options: { mb?: number; paragraphs?: boolean; lie?: boolean } = {}): Promise<string> {
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
  const tail = '</w:body></w:document>';
  const unit = Buffer.from(options.paragraphs === false ? 'lorem ipsum ' : '<w:p><w:r><w:t>lorem ipsum</w:t></w:r></w:p>');
  // The head and tail go into the same raw deflate stream: a body of whole units between them is valid XML.
  const xml = options.paragraphs === false ? { prefix: `${head}<w:p><w:r><w:t>`, suffix: `</w:t></w:r></w:p>${tail}` } : { prefix: head, suffix: tail };
  const units = Math.floor(((options.mb ?? 400) * MB) / unit.length) * unit.length;
  const document = await deflateRepeated(unit, units, true, Buffer.from(xml.prefix), Buffer.from(xml.suffix));
  const entries: ZipEntry[] = [
    stored('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    stored('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
    { name: 'word/document.xml', ...document, deflated: true, ...(options.lie ? { declared: 1024 } : {}) },
  ];
  fs.writeFileSync(file, zip(entries));
  return file;
}

/** A PDF of `pages` pages sharing one content stream (about 130 bytes a page). */
export function manyPagePdf(file: string, pages = 20_000): string {
  const objects: string[] = [];
  const content = 'BT /F1 12 Tf 72 720 Td (A page of many) Tj ET';
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[3] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  objects[4] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  const kids: string[] = [];
  for (let i = 0; i < pages; i++) {
    const id = 5 + i;
    kids.push(`${id} 0 R`);
    objects[id] = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>';
  }
  objects[2] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  fs.writeFileSync(file, pdf(objects.map((o) => (o === undefined ? undefined : Buffer.from(o, 'latin1')))));
  return file;
}

/** A one-page PDF whose content stream inflates to `mb` MB of spaces. */
export async function flateBombPdf(file: string, mb = 600): Promise<string> {
  const bomb = await deflateRepeated(Buffer.from(' '), mb * MB, false);
  const objects: (Buffer | undefined)[] = [];
  objects[1] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
  objects[2] = Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  objects[3] = Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>');
  objects[4] = Buffer.concat([Buffer.from(`<< /Length ${bomb.data.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), bomb.data, Buffer.from('\nendstream', 'latin1')]);
  fs.writeFileSync(file, pdf(objects));
  return file;
}

function pdf(objects: (Buffer | undefined)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    const body = objects[id];
    if (!body) continue;
    offsets[id] = offset;
    const chunk = Buffer.concat([Buffer.from(`${id} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    offset += chunk.length;
  }
  const xref = [`xref\n0 ${objects.length}\n`, '0000000000 65535 f \n'];
  for (let id = 1; id < objects.length; id++) xref.push(offsets[id] === undefined ? '0000000000 65535 f \n' : `${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
  parts.push(Buffer.from(xref.join(''), 'latin1'));
  return Buffer.concat(parts);
}

/** All four in `dir`; returns their paths by kind. */
export async function writeHostileDocuments(dir: string): Promise<{ markdown: string; docx: string; pages: string; flate: string }> {
  fs.mkdirSync(dir, { recursive: true });
  return {
    markdown: pathologicalMarkdown(path.join(dir, 'heading.md')),
    docx: await docxBomb(path.join(dir, 'bomb.docx')),
    pages: manyPagePdf(path.join(dir, 'pages.pdf')),
    flate: await flateBombPdf(path.join(dir, 'flate.pdf')),
  };
}
