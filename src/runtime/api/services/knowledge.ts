// The knowledge section over KnowledgeExtension: sources with per-file status and ingestion progress, adding,
// removing, re-indexing, the passages the agent would get, and attaching files to one conversation.
import type { KnowledgeApi, KnowledgeFileView, KnowledgePassage, KnowledgeSourceView } from '../../../common/index.ts';
import { KnowledgeAccessError, KnowledgeNotFoundError, type AttachmentUploads, type KnowledgeBase, type KnowledgeExtension, type KnowledgeSource, type Passage } from '../../knowledge/index.ts';
import { ApiArgumentError, ApiNotFoundError } from '../errors.ts';

/** `extension`: the started capability (in the host), or an opened base with nothing to keep in step (the CLI in-process). */
export function knowledgeService(extension: Pick<KnowledgeExtension, 'base' | 'sourcesChanged'> & { uploads?: AttachmentUploads }): KnowledgeApi {
  const base = () => extension.base;
  const uploads = () => {
    if (!extension.uploads) throw new ApiArgumentError('uploading documents needs the running host');
    return extension.uploads;
  };
  return {
    sources: () => found(async () => Promise.all((await base().sources()).map((s) => viewOf(base(), s)))),
    add: (spec) =>
      found(async () => {
        const source = await base().addSource(spec);
        await extension.sourcesChanged();
        return viewOf(base(), source);
      }),
    remove: (id) =>
      found(async () => {
        const source = await base().source(id);
        await base().removeSource(id);
        // An uploaded document's stored copy goes with it.
        if (source.conversationId) extension.uploads?.discard(source.path);
        await extension.sourcesChanged();
      }),
    reindex: (id) =>
      found(async () => {
        if (id !== undefined) await base().source(id);
        void base().ingest(id, { force: true }).catch(() => undefined);
      }),
    files: (id) => found(async () => (await base().store.listFiles((await base().source(id)).id)).map(fileOf)),
    search: (query, options = {}) =>
      found(async () => {
        const filter = { ...(options.sourceId ? { sourceIds: [options.sourceId] } : {}), ...(options.file ? { file: options.file } : {}) };
        const result = await base().search(query, { all: true }, filter, options.limit);
        return { passages: result.passages.map(passageOf), mode: result.mode, ...(result.unavailable ? { unavailable: result.unavailable } : {}) };
      }),
    preview: (citation, passage) =>
      found(async () => {
        const { page, lineStart, lineEnd } = citation;
        return base().preview(citation.file, { page, lineStart, lineEnd }, passage, { all: true });
      }),
    attach: (conversationId, paths) =>
      found(async () => {
        const sources = [];
        for (const path of paths) sources.push(await base().addSource({ path, conversationId }));
        await extension.sourcesChanged();
        return Promise.all(sources.map((s) => viewOf(base(), s)));
      }),
    upload: (spec) => found(() => Promise.resolve(uploads().begin(spec.conversationId, spec.name, spec.size))),
    uploadChunk: (uploadId, data) => found(() => Promise.resolve(uploads().append(uploadId, data))),
    uploadFinish: (uploadId) =>
      found(async () => {
        const stored = uploads().finish(uploadId);
        const source = await base().addSource({ path: stored.path, conversationId: stored.conversationId });
        await extension.sourcesChanged();
        return viewOf(base(), source);
      }),
    uploadCancel: (uploadId) => found(() => Promise.resolve(uploads().cancel(uploadId))),
  };
}

async function viewOf(base: KnowledgeBase, source: KnowledgeSource): Promise<KnowledgeSourceView> {
  const files = await base.store.listFiles(source.id);
  const count = (state: KnowledgeFileView['state']) => files.filter((f) => f.state === state).length;
  const progress = base.progressOf(source.id);
  return {
    id: source.id,
    path: source.path,
    kind: source.kind,
    include: source.include,
    exclude: source.exclude,
    ...(source.conversationId ? { conversationId: source.conversationId } : {}),
    origin: source.origin,
    files: { indexed: count('indexed'), skipped: count('skipped'), failed: count('failed'), pending: count('pending') },
    chunks: files.reduce((sum, f) => sum + f.chunks, 0),
    ...(progress ? { progress } : {}),
  };
}

function fileOf(file: { path: string; state: KnowledgeFileView['state']; reason?: string; size: number; chunks: number; updatedAt: string }): KnowledgeFileView {
  return { path: file.path, state: file.state, ...(file.reason ? { reason: file.reason } : {}), size: file.size, chunks: file.chunks, updatedAt: file.updatedAt };
}

function passageOf(p: Passage, i: number): KnowledgePassage {
  return {
    citation: {
      n: i + 1,
      label: p.citation,
      file: p.path,
      ...(p.pageStart !== undefined ? { page: p.pageStart } : {}),
      ...(p.lineStart !== undefined ? { lineStart: p.lineStart, lineEnd: p.lineEnd ?? p.lineStart } : {}),
      ...(p.headings.length ? { headings: p.headings } : {}),
    },
    text: p.text,
    sourceId: p.sourceId,
  };
}

/** Knowledge's errors become the API's: unknown source or path → not_found, path outside the sources → bad_request. */
async function found<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof KnowledgeNotFoundError) throw new ApiNotFoundError(error.message);
    if (error instanceof KnowledgeAccessError) throw new ApiArgumentError(error.message);
    throw error;
  }
}
