// Knowledge as a runtime capability: the index in memory's database, sources from rein.yaml kept in sync, all
// sources ingested in the background at start (an interrupted ingestion continues), folders watched, and the
// search_knowledge / read_document tools scoped to the sources a run may see.
import path from 'node:path';
import { errorMessage } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import type { ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { RunContext, RunHooks } from '../loop/index.ts';
import { createEmbedder } from '../memory/index.ts';
import { KnowledgeBase, type Scope } from './knowledge-base.ts';
import { openKnowledgeStore } from './open-store.ts';
import { knowledgeTools } from './tools.ts';
import { AttachmentUploads } from './uploads.ts';
import { SourceWatcher } from './watcher.ts';

/** Runs remembered per process to scope tools to their conversation. */
const MAX_RUNS = 1000;
/** Progress of a running pass is pushed at most this often per source (its first and last reports always). */
const PROGRESS_EVERY_MS = 200;
const KNOWLEDGE_TOOLS = new Set(['search_knowledge', 'read_document']);

export class KnowledgeExtension implements RuntimeExtension {
  readonly name = 'knowledge';
  readonly hooks: RunHooks = {
    name: 'knowledge',
    onRunStart: (context) => this.pinSources(context),
    // A run that cannot see any source is not offered the knowledge tools (their schemas would only cost tokens).
    selectTools: (tools, _messages, context) => (this.withSources.has(context.runId) ? tools : tools.filter((t) => !KNOWLEDGE_TOOLS.has(t.name))),
  };
  private readonly config: ReinConfig;
  private opened: KnowledgeBase | undefined;
  private watcher: SourceWatcher | undefined;
  private readonly conversations = new Map<string, string>();
  /** Runs that saw at least one source at their start (decided once per run, so the offered tools stay stable). */
  private readonly withSources = new Set<string>();
  private readonly stops: (() => void)[] = [];
  private textOnlyNoticed = false;

  /** Documents uploaded from a browser, stored under `<dataDir>/attachments`. */
  readonly uploads: AttachmentUploads;

  constructor(config: ReinConfig) {
    this.config = config;
    this.uploads = new AttachmentUploads(path.join(config.dataDir, 'attachments'), () => this.config.knowledge.max_file_mb);
  }

  get base(): KnowledgeBase {
    if (!this.opened) throw new Error('knowledge is not started');
    return this.opened;
  }

  async start(host: ExtensionHost): Promise<void> {
    const knowledge = this.config.knowledge;
    // An upload cut off by a crash left its partial file: nobody can finish it now.
    this.uploads.removeLeftovers();
    const store = await openKnowledgeStore(this.config);
    if (store.notice) host.notify({ type: 'system.notice', level: 'warn', source: 'knowledge', message: store.notice });
    const base = new KnowledgeBase(store, knowledge, createEmbedder(this.config, this.config.memory.embed_model));
    this.opened = base;
    const lastSent = new Map<number, number>();
    this.stops.push(
      base.onProgress((progress) => {
        const now = Date.now();
        const first = progress.done === 0;
        if (progress.state === 'running' && !first && now - (lastSent.get(progress.sourceId) ?? 0) < PROGRESS_EVERY_MS) return;
        lastSent.set(progress.sourceId, now);
        host.notify({ type: 'knowledge.progress', ...progress });
        if (progress.state === 'done' && progress.embedUnavailable && !this.textOnlyNoticed) {
          this.textOnlyNoticed = true;
          host.notify({ type: 'system.notice', level: 'warn', source: 'knowledge', message: `documents are searched by text only: ${progress.embedUnavailable}` });
        }
      }),
      host.onEvent((event) => {
        if (event.type !== 'run.started') return;
        if (this.conversations.size >= MAX_RUNS) this.conversations.delete(this.conversations.keys().next().value!);
        this.conversations.set(event.runId, event.conversationId ?? event.runId);
      }),
    );
    for (const tool of knowledgeTools({ base, scopeOf: (runId) => this.scopeOf(runId), searchLimit: knowledge.search_limit })) host.registry.add(tool);
    await base.syncConfigSources();
    if (knowledge.watch) {
      this.watcher = new SourceWatcher(
        (sourceId, paths) => void base.ingestPaths(sourceId, paths).catch(() => undefined),
        (source, error) => host.notify({ type: 'system.notice', level: 'warn', source: 'knowledge', message: `watching ${source.path} failed: ${errorMessage(error)}` }),
      );
      this.watcher.sync(await base.sources());
    }
    // In the background: start() returns while files are read; progress arrives as knowledge.progress events.
    void base.ingest().catch((error: unknown) => host.notify({ type: 'system.notice', level: 'error', source: 'knowledge', message: `ingestion stopped: ${errorMessage(error)}` }));
  }

  /** Keeps the watcher in step after sources were added or removed through the API. */
  async sourcesChanged(): Promise<void> {
    this.watcher?.sync(await this.base.sources());
  }

  /** A run that can see sources is told so, and how to cite; runs without sources get nothing. */
  private async pinSources(context: RunContext): Promise<string[]> {
    const sources = this.opened ? await this.opened.sources(this.scopeOf(context.runId)) : [];
    if (!sources.length) return [];
    if (this.withSources.size >= MAX_RUNS) this.withSources.delete(this.withSources.values().next().value!);
    this.withSources.add(context.runId);
    const names = sources.slice(0, 10).map((s) => s.path).join(', ');
    return [
      `The user's own documents are searchable with search_knowledge (${names}${sources.length > 10 ? ', …' : ''}). ` +
        'When a question may be answered by them, search first; cite each passage you use as [n] with the number search_knowledge gave it, and do not invent citations.',
    ];
  }

  scopeOf(runId: string): Scope {
    const conversationId = this.conversations.get(runId);
    return conversationId ? { conversationId } : {};
  }

  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    await this.watcher?.close();
    await this.opened?.close();
    await this.opened?.store.close();
  }
}
