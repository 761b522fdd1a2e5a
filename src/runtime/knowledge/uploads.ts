// Documents uploaded from a browser (which gives no file paths): their bytes arrive in chunks and are stored as
// `<dataDir>/attachments/<conversation>/<safe name>` (0700 folders, 0600 files), then attached like a dropped
// file. Unsupported types and files over knowledge.max_file_mb are refused before any byte is sent.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeAccessError, KnowledgeNotFoundError } from './errors.ts';
import { formatOf } from './parse/formats.ts';

const MB = 1024 * 1024;
/** Raw bytes per chunk: base64 (×4/3) stays well under the API's 16 MB message limit. */
export const UPLOAD_CHUNK_BYTES = 4 * MB;
/** An upload nobody continued for this long is dropped with its partial file. */
const STALE_MS = 10 * 60_000;
/** Bytes of a stored name (file systems allow 255; room is left for ` (99)`). */
const MAX_NAME_BYTES = 200;
/** Uploads in flight at once (each holds a partial file). */
const MAX_PENDING = 20;
/** The partial file of an upload in flight: `.<uuid>.part`. */
const PARTIAL = /^\.[0-9a-f-]{36}\.part$/;
export const READABLE_TYPES = 'Rein reads PDF, Word (.docx), PowerPoint/Excel/OpenDocument, EPUB, RTF, Markdown, HTML, CSV, text and code files';

interface Pending {
  conversationId: string;
  file: string;
  partial: string;
  size: number;
  received: number;
  touched: number;
}

/**
 * A file name safe to store: no folders, no `..`, no control characters, not hidden, no trailing dot or space
 * (Windows drops them), at most 200 bytes of UTF-8 — shortened up front at a character (grapheme) boundary,
 * keeping the extension, so the upload cannot fail at its end.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const visible = base.replace(/[\u0000-\u001f\u007f]/g, '').toWellFormed();
  const cleaned = shortenName(stripEnds(visible), MAX_NAME_BYTES);
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'document' : cleaned;
}

/** Without leading dots and spaces (hidden files) and trailing ones (Windows drops them). */
function stripEnds(name: string): string {
  let start = 0;
  let end = name.length;
  while (start < end && (name[start] === '.' || /\s/.test(name[start]!))) start++;
  while (end > start && (name[end - 1] === '.' || /\s/.test(name[end - 1]!))) end--;
  return name.slice(start, end);
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The name in at most `maxBytes` of UTF-8: whole graphemes of the stem dropped from its end; the extension kept. */
export function shortenName(name: string, maxBytes: number): string {
  if (utf8Bytes(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && utf8Bytes(name.slice(dot)) <= 16 ? name.slice(dot) : '';
  const budget = maxBytes - utf8Bytes(ext);
  let stem = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(name.slice(0, name.length - ext.length))) {
    const size = utf8Bytes(segment);
    if (used + size > budget) break;
    stem += segment;
    used += size;
  }
  return stripEnds(stem) + ext;
}

/** Conversation ids become one folder name each. */
function folderOf(conversationId: string): string {
  return conversationId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || 'conversation';
}

export class AttachmentUploads {
  readonly root: string;
  private readonly maxFileMb: () => number;
  private readonly pending = new Map<string, Pending>();

  constructor(root: string, maxFileMb: () => number) {
    this.root = root;
    this.maxFileMb = maxFileMb;
  }

  /** Deletes partial files a crashed process left behind (`.<id>.part`); run once at start. Returns how many. */
  removeLeftovers(): number {
    let removed = 0;
    let folders: fs.Dirent[];
    try {
      folders = fs.readdirSync(this.root, { withFileTypes: true });
    } catch {
      return 0;
    }
    for (const folder of folders.filter((entry) => entry.isDirectory())) {
      const dir = path.join(this.root, folder.name);
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isFile() || !PARTIAL.test(entry.name)) continue;
        fs.rmSync(path.join(dir, entry.name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Checks the name and size, reserves a de-duplicated file name; the bytes follow with `append`. */
  begin(conversationId: string, name: string, size: number): { uploadId: string; name: string; chunkBytes: number } {
    this.dropStale();
    if (this.pending.size >= MAX_PENDING) throw new KnowledgeAccessError(`too many uploads in flight (${MAX_PENDING}): finish or cancel one first`);
    const safe = safeFileName(name);
    if (formatOf(safe) === 'binary') throw new KnowledgeAccessError(`${safe}: unsupported file type — ${READABLE_TYPES}`);
    const limit = this.maxFileMb();
    if (size > limit * MB) throw new KnowledgeAccessError(`${safe}: ${(size / MB).toFixed(1)} MB is larger than the ${limit} MB limit (knowledge.max_file_mb)`);
    const folder = path.join(this.root, folderOf(conversationId));
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.root, 0o700);
    fs.chmodSync(folder, 0o700);
    const file = this.freeName(folder, safe);
    const uploadId = randomUUID();
    const partial = path.join(folder, `.${uploadId}.part`);
    fs.writeFileSync(partial, '', { mode: 0o600, flag: 'wx' });
    this.pending.set(uploadId, { conversationId, file, partial, size, received: 0, touched: Date.now() });
    return { uploadId, name: path.basename(file), chunkBytes: UPLOAD_CHUNK_BYTES };
  }

  /** Appends the next chunk (base64); returns how many bytes arrived so far. */
  append(uploadId: string, base64: string): number {
    const upload = this.get(uploadId);
    const bytes = Buffer.from(base64, 'base64');
    if (upload.received + bytes.length > upload.size) {
      this.cancel(uploadId);
      throw new KnowledgeAccessError(`${path.basename(upload.file)}: more bytes than announced (${upload.size})`);
    }
    fs.appendFileSync(upload.partial, bytes);
    upload.received += bytes.length;
    upload.touched = Date.now();
    return upload.received;
  }

  /** Moves the complete file into place: its path and conversation, to attach. */
  finish(uploadId: string): { conversationId: string; path: string } {
    const upload = this.get(uploadId);
    if (upload.received !== upload.size) {
      this.cancel(uploadId);
      throw new KnowledgeAccessError(`${path.basename(upload.file)}: incomplete upload (${upload.received} of ${upload.size} bytes)`);
    }
    this.pending.delete(uploadId);
    try {
      const file = fs.existsSync(upload.file) ? this.freeName(path.dirname(upload.file), path.basename(upload.file)) : upload.file;
      fs.renameSync(upload.partial, file);
      fs.chmodSync(file, 0o600);
      return { conversationId: upload.conversationId, path: file };
    } catch (error) {
      // Whatever went wrong, no partial file stays behind.
      fs.rmSync(upload.partial, { force: true });
      throw new KnowledgeAccessError(`${path.basename(upload.file)}: could not be stored: ${(error as Error).message}`);
    }
  }

  cancel(uploadId: string): void {
    const upload = this.pending.get(uploadId);
    this.pending.delete(uploadId);
    if (upload) fs.rmSync(upload.partial, { force: true });
  }

  /** Deletes a stored copy (a removed attachment); paths outside the attachments folder are left alone. */
  discard(file: string): void {
    const relative = path.relative(this.root, file);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return;
    fs.rmSync(file, { force: true });
    const folder = path.dirname(file);
    if (folder !== this.root && fs.existsSync(folder) && fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
  }

  private get(uploadId: string): Pending {
    const upload = this.pending.get(uploadId);
    if (!upload) throw new KnowledgeNotFoundError(`no upload ${uploadId} (finished, cancelled or idle for 10 minutes)`);
    return upload;
  }

  /** `notes.md`, else `notes (2).md`, … — neither on disk nor reserved by an upload in flight. */
  private freeName(folder: string, name: string): string {
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    const taken = (file: string) => fs.existsSync(file) || [...this.pending.values()].some((p) => p.file === file);
    for (let n = 1; ; n++) {
      const file = path.join(folder, n === 1 ? name : `${stem} (${n})${ext}`);
      if (!taken(file)) return file;
    }
  }

  private dropStale(): void {
    const now = Date.now();
    for (const [id, upload] of this.pending) if (now - upload.touched > STALE_MS) this.cancel(id);
  }
}
