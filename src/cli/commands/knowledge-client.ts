// What `rein knowledge` works on: the running host's knowledge API (its ingestion, watched by the desktop too), or
// the database in-process when no host runs. Both answer in the API's shapes, so `--json` is the same either way.
import type { KnowledgeApi, KnowledgeProgressEvent, KnowledgeSourceSpec, KnowledgeSourceView } from '../../common/index.ts';
import type { HostConnection } from '../../host/client.ts';
import { knowledgeService, type AttachmentUploads, type IngestProgress, type KnowledgeBase } from '../../runtime/index.ts';

export type AddedSource = Pick<KnowledgeSourceView, 'id' | 'path' | 'kind'>;

export interface KnowledgeClient {
  /** `the host (pid N)` or the database file. */
  location: string;
  /** True when the running host does the work. */
  attached: boolean;
  api: Pick<KnowledgeApi, 'sources' | 'files' | 'remove' | 'search'>;
  /** Adds a source (`onAdded` as soon as it is recorded) and waits until it is indexed, reporting progress on the way. */
  add(spec: KnowledgeSourceSpec, onAdded: (source: AddedSource) => void, onProgress: (p: IngestProgress) => void): Promise<IngestProgress[]>;
  /** Re-reads every file of one source (or of all) and waits for it. */
  reindex(sourceId: number | undefined, onProgress: (p: IngestProgress) => void): Promise<IngestProgress[]>;
  close(): Promise<void>;
}

/** In-process: ingestion runs in the foreground of this command; `uploads` lets remove delete an uploaded copy. */
export function localKnowledge(base: KnowledgeBase, location: string, uploads?: AttachmentUploads): KnowledgeClient {
  const api = knowledgeService({ base, sourcesChanged: () => Promise.resolve(), ...(uploads ? { uploads } : {}) });
  return {
    location,
    attached: false,
    api,
    add: async (spec, onAdded, onProgress) => {
      const added = await base.addSource(spec, 'user', false);
      onAdded(added);
      return base.ingest(added.id, {}, onProgress);
    },
    reindex: (sourceId, onProgress) => base.ingest(sourceId, { force: true }, onProgress),
    close: async () => {
      await base.close();
      await base.store.close();
    },
  };
}

/** Through the host: it ingests in the background and streams `knowledge.progress`; this waits for each pass's end. */
export function hostKnowledge(host: HostConnection): KnowledgeClient {
  const { api } = host;
  return {
    location: `the host (pid ${host.info.pid})`,
    attached: true,
    api: api.knowledge,
    add: (spec, onAdded, onProgress) =>
      followPasses(host, onProgress, async () => {
        const source = await api.knowledge.add(spec);
        onAdded(source);
        return [source.id];
      }),
    reindex: (sourceId, onProgress) =>
      followPasses(host, onProgress, async () => {
        const ids = sourceId === undefined ? (await api.knowledge.sources()).map((s) => s.id) : [sourceId];
        await api.knowledge.reindex(sourceId);
        return ids;
      }),
    close: () => {
      host.close();
      return Promise.resolve();
    },
  };
}

/**
 * Listens before `start` (the host may begin before the call returns), then follows each source's full pass: one
 * opens with a `running` report at 0 done, and counts once its `done` report arrives (a source that cannot be read
 * at all goes straight to `done`). A watcher's re-index of single files has no opening report and is ignored.
 */
async function followPasses(host: HostConnection, onProgress: (p: IngestProgress) => void, start: () => Promise<number[]>): Promise<IngestProgress[]> {
  const seen: KnowledgeProgressEvent[] = [];
  let ids: number[] | undefined;
  const opened = new Set<number>();
  const finished = new Map<number, IngestProgress>();
  let settle: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (settle = resolve));
  const handle = (event: KnowledgeProgressEvent) => {
    if (!ids?.includes(event.sourceId) || finished.has(event.sourceId)) return;
    const { type: _type, time: _time, ...progress } = event;
    if (progress.state === 'running' && progress.done === 0) opened.add(progress.sourceId);
    const unreadable = progress.state === 'done' && progress.total === 0 && progress.failed > 0;
    if (!opened.has(progress.sourceId) && !unreadable) return;
    onProgress(progress);
    if (progress.state === 'done') finished.set(progress.sourceId, progress);
    if (ids.every((id) => finished.has(id))) settle();
  };
  const stop = host.api.onEvent((event) => {
    if (event.type !== 'knowledge.progress') return;
    if (ids) handle(event);
    else seen.push(event);
  });
  try {
    ids = await start();
    for (const event of seen.splice(0)) handle(event);
    if (ids.every((id) => finished.has(id))) settle();
    const lost = host.closed.then(() => Promise.reject(new Error(`the Rein host (pid ${host.info.pid}) went away before indexing finished`)));
    await Promise.race([allDone, lost]);
    return ids.map((id) => finished.get(id)!);
  } finally {
    stop();
  }
}
