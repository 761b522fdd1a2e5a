// The user's documents as one knowledge base: sources (from rein.yaml, the API or attached to a conversation),
// one ingestion at a time in the background, hybrid search, and reading a range of a granted file.
import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgePreview } from '../../common/index.ts';
import type { KnowledgeConfig, KnowledgeSourceConfig } from '../config/index.ts';
import type { Embedder } from '../memory/index.ts';
import { KnowledgeAccessError, KnowledgeNotFoundError } from './errors.ts';
import { Ingester, type IngestProgress } from './ingest.ts';
import { parseLimits } from './parse/limits.ts';
import { DocumentParser } from './parse/parser.ts';
import { previewPassage, type PreviewAt } from './preview.ts';
import { readRange, type DocumentRange, type ReadRange } from './reader.ts';
import { searchPassages, type SearchResult } from './search.ts';
import type { KnowledgeSource, KnowledgeStore, SearchFilter, SourceOrigin } from './types.ts';
import { Vectors } from './vectors.ts';

export interface SourceSpec {
  path: string;
  include?: string[];
  exclude?: string[];
  conversationId?: string;
}

/** Which sources a caller may see: every global one, plus those attached to its conversation. */
export interface Scope {
  conversationId?: string;
  /** The API and CLI see every source. */
  all?: boolean;
}

export class KnowledgeBase {
  readonly store: KnowledgeStore;
  readonly vectors: Vectors;
  /** Document parsing, in parser processes. */
  readonly parser: DocumentParser;
  private readonly ingester: Ingester;
  private readonly config: KnowledgeConfig;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly progress = new Map<number, IngestProgress>();
  private readonly listeners = new Set<(p: IngestProgress) => void>();
  private readonly abort = new AbortController();

  constructor(store: KnowledgeStore, config: KnowledgeConfig, embedder: Embedder | undefined) {
    this.store = store;
    this.config = config;
    this.vectors = new Vectors(store, embedder);
    this.parser = new DocumentParser(() => parseLimits(this.config.parse), { workers: config.parse.workers });
    this.ingester = new Ingester(store, this.vectors, () => this.config, this.parser);
  }

  onProgress(listener: (p: IngestProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest progress of each source (running or done) since this process started. */
  progressOf(sourceId: number): IngestProgress | undefined {
    return this.progress.get(sourceId);
  }

  /** Makes the config's sources exactly those of rein.yaml (user-added sources stay). */
  async syncConfigSources(): Promise<KnowledgeSource[]> {
    const wanted = this.config.paths.map(specOf);
    const existing = (await this.store.listSources()).filter((s) => s.origin === 'config');
    for (const stale of existing.filter((s) => !wanted.some((w) => w.path === s.path))) await this.store.removeSource(stale.id);
    const added: KnowledgeSource[] = [];
    for (const spec of wanted) {
      try {
        added.push(await this.addSource(spec, 'config', false));
      } catch (error) {
        this.emit({ sourceId: 0, path: spec.path, state: 'done', done: 0, total: 0, indexed: 0, skipped: 0, failed: 1, errors: [{ file: spec.path, reason: (error as Error).message }] });
      }
    }
    return added;
  }

  /**
   * Grants a folder or file; its ingestion is queued (`ingest: false` leaves that to the caller). A single file is
   * granted by its real path: a symlink swapped in for it later is not the granted file.
   */
  async addSource(spec: SourceSpec, origin: SourceOrigin = 'user', ingest = true): Promise<KnowledgeSource> {
    let absolute = path.resolve(spec.path);
    let stat;
    try {
      stat = fs.statSync(absolute);
      if (!stat.isDirectory()) absolute = fs.realpathSync(absolute);
    } catch (error) {
      throw new KnowledgeNotFoundError(`${absolute}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
    }
    const source = await this.store.addSource({
      path: absolute,
      kind: stat.isDirectory() ? 'folder' : 'file',
      include: spec.include ?? [],
      exclude: spec.exclude ?? [],
      ...(spec.conversationId ? { conversationId: spec.conversationId } : {}),
      origin,
    });
    if (ingest) void this.ingest(source.id).catch(() => undefined);
    return source;
  }

  async removeSource(id: number): Promise<void> {
    await this.enqueue(async () => {
      if (!(await this.store.removeSource(id))) throw new KnowledgeNotFoundError(`no knowledge source ${id}`);
      this.progress.delete(id);
    });
  }

  async sources(scope: Scope = { all: true }): Promise<KnowledgeSource[]> {
    const all = await this.store.listSources();
    return scope.all ? all : all.filter((s) => !s.conversationId || s.conversationId === scope.conversationId);
  }

  async source(id: number): Promise<KnowledgeSource> {
    const found = (await this.store.listSources()).find((s) => s.id === id);
    if (!found) throw new KnowledgeNotFoundError(`no knowledge source ${id}`);
    return found;
  }

  /** Queues a full pass over one source (or every source); resolves when it has run. */
  ingest(sourceId?: number, options: { force?: boolean } = {}, onProgress?: (p: IngestProgress) => void): Promise<IngestProgress[]> {
    return this.enqueue(async () => {
      const sources = sourceId === undefined ? await this.store.listSources() : [await this.source(sourceId)];
      const results: IngestProgress[] = [];
      const report = (p: IngestProgress) => {
        this.emit(p);
        onProgress?.(p);
      };
      for (const source of sources) results.push(await this.ingester.ingestSource(source, report, { ...options, signal: this.abort.signal }));
      void this.vectors.backfill(this.abort.signal).catch(() => undefined);
      return results;
    });
  }

  /** Queues re-indexing of changed paths of a source (from the watcher). */
  ingestPaths(sourceId: number, paths: string[]): Promise<IngestProgress | undefined> {
    return this.enqueue(async () => {
      const source = (await this.store.listSources()).find((s) => s.id === sourceId);
      return source ? this.ingester.ingestPaths(source, paths, (p) => this.emit(p), this.abort.signal) : undefined;
    });
  }

  async search(query: string, scope: Scope, filter: { sourceIds?: number[]; file?: string } = {}, limit = this.config.search_limit, signal?: AbortSignal): Promise<SearchResult> {
    const all = await this.store.listSources();
    const visible = (scope.all ? all : all.filter((s) => !s.conversationId || s.conversationId === scope.conversationId)).map((s) => s.id);
    // No source filter when every source is visible: the index is searched without a join.
    const sourceIds = filter.sourceIds ? filter.sourceIds.filter((id) => visible.includes(id)) : visible.length === all.length ? undefined : visible;
    const searchFilter: SearchFilter = { ...(sourceIds ? { sourceIds } : {}), ...(filter.file ? { file: filter.file } : {}) };
    return searchPassages(this.store, this.vectors, query, searchFilter, limit, signal);
  }

  /** The granted source holding `file` (absolute, or relative to a source folder), with the file's real path. */
  async resolveFile(file: string, scope: Scope): Promise<{ source: KnowledgeSource; path: string }> {
    const sources = await this.sources(scope);
    const candidates = path.isAbsolute(file) ? [path.resolve(file)] : sources.filter((s) => s.kind === 'folder').map((s) => path.resolve(s.path, file));
    for (const candidate of candidates) {
      const real = realpathOrUndefined(candidate);
      if (!real) continue;
      const source = sources.find((s) => within(real, realpathOrUndefined(s.path) ?? s.path, s.kind));
      if (source) return { source, path: candidate };
    }
    // A bare file name: the indexed file of that name.
    for (const source of sources) {
      const match = (await this.store.listFiles(source.id)).find((f) => f.path.endsWith(`${path.sep}${file}`) || f.path === file);
      if (match) return { source, path: match.path };
    }
    const exists = candidates.some((c) => fs.existsSync(c));
    throw new KnowledgeAccessError(exists ? `${file} is outside the folders granted to knowledge` : `${file}: no such file in the knowledge sources`);
  }

  /** A range of a granted file (`read_document`), checked against its source when it is opened. */
  async read(file: string, range: ReadRange, scope: Scope, signal?: AbortSignal): Promise<{ path: string; read: DocumentRange }> {
    const { source, path: resolved } = await this.resolveFile(file, scope);
    const read = await readRange(resolved, range, { source, symlinks: this.config.symlinks, maxBytes: this.config.max_file_mb * 1024 * 1024, parser: this.parser, ...(signal ? { signal } : {}) });
    return { path: resolved, read };
  }

  /** A cited passage in its surroundings (the UI's source preview), read like `read`. */
  async preview(file: string, at: PreviewAt, passage: string | undefined, scope: Scope, signal?: AbortSignal): Promise<KnowledgePreview> {
    const { source, path: resolved } = await this.resolveFile(file, scope);
    return previewPassage(resolved, at, passage, { source, symlinks: this.config.symlinks, maxBytes: this.config.max_file_mb * 1024 * 1024, parser: this.parser, ...(signal ? { signal } : {}) });
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.queue.catch(() => undefined);
    await this.parser.close();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private emit(progress: IngestProgress): void {
    if (progress.sourceId) this.progress.set(progress.sourceId, progress);
    for (const listener of this.listeners) {
      try {
        listener(progress);
      } catch {
        // one broken listener must not stop ingestion
      }
    }
  }
}

function specOf(entry: KnowledgeSourceConfig): SourceSpec {
  return typeof entry === 'string' ? { path: entry } : { path: entry.path, ...(entry.include ? { include: entry.include } : {}), ...(entry.exclude ? { exclude: entry.exclude } : {}) };
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

function within(file: string, root: string, kind: 'folder' | 'file'): boolean {
  return kind === 'file' ? file === root : file === root || file.startsWith(root + path.sep);
}
