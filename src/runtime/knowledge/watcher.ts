// Watches folder sources (chokidar): added, changed, renamed and deleted files are re-indexed in batches; each
// batch touches only those files (unchanged content is recognised by its hash and not re-embedded).
import type { FSWatcher, watch as chokidarWatch } from 'chokidar';
import { BUILTIN_EXCLUDE } from './scan.ts';
import type { KnowledgeSource } from './types.ts';
import picomatch from 'picomatch';
import path from 'node:path';

const SETTLE_MS = 400;

export class SourceWatcher {
  private readonly watchers = new Map<number, FSWatcher | undefined>();
  private closed = false;
  private readonly pending = new Map<number, Set<string>>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly onChange: (sourceId: number, paths: string[]) => void;
  private readonly onError: (source: KnowledgeSource, error: Error) => void;

  constructor(onChange: (sourceId: number, paths: string[]) => void, onError: (source: KnowledgeSource, error: Error) => void) {
    this.onChange = onChange;
    this.onError = onError;
  }

  /** Starts watching the given sources and stops watching the others. */
  sync(sources: KnowledgeSource[]): void {
    const wanted = new Map(sources.map((s) => [s.id, s]));
    for (const id of [...this.watchers.keys()]) if (!wanted.has(id)) this.unwatch(id);
    for (const source of sources) if (!this.watchers.has(source.id)) this.watch(source);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.watchers.values()].map((w) => w?.close()));
    this.watchers.clear();
  }

  private watch(source: KnowledgeSource): void {
    // chokidar loads on first use; until it has, the source is marked as watched so it is not watched twice.
    this.watchers.set(source.id, undefined);
    void import('chokidar').then(({ watch }) => {
      if (!this.watchers.has(source.id) || this.closed) return;
      this.start(source, watch);
    }, (error: unknown) => this.onError(source, error as Error));
  }

  private start(source: KnowledgeSource, watch: typeof chokidarWatch): void {
    const excluded = picomatch(BUILTIN_EXCLUDE, { dot: true });
    const watcher = watch(source.path, {
      ignoreInitial: true,
      followSymlinks: false,
      awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
      ignored: (file) => source.kind === 'folder' && excluded(path.relative(source.path, file).split(path.sep).join('/')),
    });
    const changed = (file: string) => this.queue(source.id, path.resolve(file));
    watcher.on('add', changed).on('change', changed).on('unlink', changed);
    watcher.on('unlinkDir', (dir) => this.queue(source.id, path.resolve(dir), true));
    watcher.on('error', (error) => this.onError(source, error as Error));
    this.watchers.set(source.id, watcher);
  }

  private unwatch(id: number): void {
    void this.watchers.get(id)?.close();
    this.watchers.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.pending.delete(id);
  }

  /** A removed folder is passed with a trailing separator: the knowledge base drops every file under it. */
  private queue(sourceId: number, file: string, folder = false): void {
    let set = this.pending.get(sourceId);
    if (!set) this.pending.set(sourceId, (set = new Set()));
    set.add(folder ? file + path.sep : file);
    clearTimeout(this.timers.get(sourceId));
    this.timers.set(
      sourceId,
      setTimeout(() => {
        this.timers.delete(sourceId);
        const paths = [...(this.pending.get(sourceId) ?? [])];
        this.pending.delete(sourceId);
        if (paths.length) this.onChange(sourceId, paths);
      }, SETTLE_MS),
    );
  }
}
