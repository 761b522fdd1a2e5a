// Knowledge: the user's folders and files, indexed offline, searched by the agent with citations.
import type { KnowledgeProgressEvent } from '../events.ts';

export interface KnowledgeSourceView {
  id: number;
  path: string;
  kind: 'folder' | 'file';
  include: string[];
  exclude: string[];
  /** Attached to one conversation (its first run's id); absent = every run may use it. */
  conversationId?: string;
  /** `config`: from rein.yaml (remove it there); `user`: added from the UI, the CLI or a conversation. */
  origin: 'config' | 'user';
  files: { indexed: number; skipped: number; failed: number; pending: number };
  chunks: number;
  /** The latest ingestion pass of this process, if any. */
  progress?: KnowledgeProgress;
}

export type KnowledgeProgress = Omit<KnowledgeProgressEvent, 'type' | 'time'>;

export interface KnowledgeFileView {
  path: string;
  state: 'pending' | 'indexed' | 'skipped' | 'failed';
  reason?: string;
  size: number;
  chunks: number;
  updatedAt: string;
}

/** Where a cited passage comes from; the UI renders `[n]` in an answer as a link to it. */
export interface KnowledgeCitation {
  n: number;
  /** `handbook.pdf, p. 3`, `src/app.ts, lines 10–24`. */
  label: string;
  /** Absolute path. */
  file: string;
  page?: number;
  lineStart?: number;
  lineEnd?: number;
  headings?: string[];
}

export interface KnowledgePassage {
  citation: KnowledgeCitation;
  text: string;
  sourceId: number;
}

export interface KnowledgePreview {
  file: string;
  /** What is shown: `p. 3 of 12`, `lines 4–40 of 120`. */
  range: string;
  /** `pdf` and other paged documents show one page; text and code show lines around the passage. */
  kind: 'lines' | 'page' | 'document';
  page?: number;
  pages?: number;
  /** First line number of `text` (kind `lines`). */
  firstLine?: number;
  text: string;
  /** Where the cited passage is in `text` (character offsets), when it was found. */
  highlight?: { start: number; end: number };
  truncated: boolean;
}

export interface KnowledgeSearchResult {
  passages: KnowledgePassage[];
  /** `text`: the embedding model is unavailable (reason in `unavailable`), full-text ranking only. */
  mode: 'hybrid' | 'text';
  unavailable?: string;
}

export interface KnowledgeSourceSpec {
  path: string;
  include?: string[];
  exclude?: string[];
}

export interface KnowledgeApi {
  sources(): Promise<KnowledgeSourceView[]>;
  /** Grants a folder or file to every run; it is indexed in the background (progress as `knowledge.progress` events). */
  add(spec: KnowledgeSourceSpec): Promise<KnowledgeSourceView>;
  remove(sourceId: number): Promise<void>;
  /** Re-reads every file of one source (or of all), even unchanged ones. */
  reindex(sourceId?: number): Promise<void>;
  files(sourceId: number): Promise<KnowledgeFileView[]>;
  /** The passages the agent would get for `query` (every source, or one). */
  search(query: string, options?: { sourceId?: number; file?: string; limit?: number }): Promise<KnowledgeSearchResult>;
  /**
   * A cited passage in its surrounding text, read fresh from the file (only files inside a knowledge source): the
   * lines around it, or its PDF page. `passage`: the cited text, to highlight where the citation has no lines.
   */
  preview(citation: Pick<KnowledgeCitation, 'file' | 'page' | 'lineStart' | 'lineEnd'>, passage?: string): Promise<KnowledgePreview>;
  /** Attaches files or folders (e.g. dropped into the chat) to one conversation only. */
  attach(conversationId: string, paths: string[]): Promise<KnowledgeSourceView[]>;
  /**
   * Starts uploading a document (a browser gives no paths) for one conversation: refused at once for an
   * unsupported type or a size over knowledge.max_file_mb. Send the bytes in chunks of at most `chunkBytes`
   * with `uploadChunk`, then `uploadFinish` stores it under the data folder and attaches it like `attach`.
   */
  upload(spec: KnowledgeUploadSpec): Promise<KnowledgeUploadTicket>;
  /** Appends base64 bytes; returns how many bytes arrived so far. */
  uploadChunk(uploadId: string, data: string): Promise<number>;
  uploadFinish(uploadId: string): Promise<KnowledgeSourceView>;
  uploadCancel(uploadId: string): Promise<void>;
}

export interface KnowledgeUploadSpec {
  conversationId: string;
  /** The file's name; stored sanitized (no folders, `..` or control characters) and de-duplicated. */
  name: string;
  /** Bytes. */
  size: number;
}

export interface KnowledgeUploadTicket {
  uploadId: string;
  /** The name it is stored under. */
  name: string;
  /** Raw bytes per `uploadChunk` at most. */
  chunkBytes: number;
}

/** One cited passage as the `search_knowledge` tool writes it (and `parseCitations` reads it back). */
export function formatCitation(c: KnowledgeCitation, text: string): string {
  const anchor = c.page !== undefined ? `#page=${c.page}` : c.lineStart !== undefined ? `#L${c.lineStart}-${c.lineEnd ?? c.lineStart}` : '';
  const heading = c.headings?.length ? ` · ${c.headings.join(' > ')}` : '';
  return `[${c.n}] ${c.label}${heading}\nfile: ${c.file}${anchor}\n${text}`;
}

/**
 * The citations in a `search_knowledge` output, by number. Read line by line (no backtracking pattern over the
 * passages' text, which comes from the user's documents): a `[n] label · headings` line followed by `file: …`.
 */
export function parseCitations(output: string): KnowledgeCitation[] {
  const lines = output.split('\n');
  const found: KnowledgeCitation[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i]!;
    const next = lines[i + 1]!;
    if (!head.startsWith('[') || !next.startsWith('file: ') || next.length === 6) continue;
    const close = head.indexOf('] ');
    const n = head.slice(1, close);
    const rest = head.slice(close + 2);
    if (close < 2 || !/^\d+$/.test(n) || !rest) continue;
    const dot = rest.indexOf(' · ', 1);
    const headings = dot > 0 && dot + 3 < rest.length ? rest.slice(dot + 3) : undefined;
    found.push({ n: Number(n), label: headings ? rest.slice(0, dot) : rest, ...fileOf(next.slice(6)), ...(headings ? { headings: headings.split(' > ') } : {}) });
    i++;
  }
  return found;
}

/** `path#page=3` or `path#L10-20` (the anchor only when it is the whole rest of the line). */
function fileOf(target: string): Pick<KnowledgeCitation, 'file' | 'page' | 'lineStart' | 'lineEnd'> {
  const hash = target.lastIndexOf('#');
  if (hash > 0) {
    const anchor = target.slice(hash);
    const page = /^#page=(\d+)$/.exec(anchor);
    if (page) return { file: target.slice(0, hash), page: Number(page[1]) };
    const lines = /^#L(\d+)-(\d+)$/.exec(anchor);
    if (lines) return { file: target.slice(0, hash), lineStart: Number(lines[1]), lineEnd: Number(lines[2]) };
  }
  return { file: target };
}

/** The passages in a `search_knowledge` output: each citation with the text it cites (up to the next citation). */
export function parsePassages(output: string): { citation: KnowledgeCitation; text: string }[] {
  const lines = output.split('\n');
  const heads: { at: number; citation: KnowledgeCitation }[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const [citation] = parseCitations(`${lines[i]}\n${lines[i + 1]}`);
    if (citation) heads.push({ at: i, citation });
  }
  return heads.map(({ at, citation }, k) => ({ citation, text: lines.slice(at + 2, heads[k + 1]?.at ?? lines.length).join('\n').trim() }));
}

/** A link target for a citation: the file with its page or line anchor. */
export function citationHref(c: KnowledgeCitation): string {
  const url = `file://${c.file.split('/').map(encodeURIComponent).join('/')}`;
  return c.page !== undefined ? `${url}#page=${c.page}` : c.lineStart !== undefined ? `${url}#L${c.lineStart}` : url;
}
