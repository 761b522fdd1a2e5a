import { useEffect, useState } from 'react';
import type { KnowledgeFileView, KnowledgeProgress, KnowledgeSourceView, RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import type { DropItem } from '../../use-document-drop.ts';

interface Attached {
  source: KnowledgeSourceView;
  /** The first file that was skipped or failed, with why. */
  problem?: KnowledgeFileView;
}

const READABLE = 'Rein reads PDF, Word (.docx), PowerPoint/Excel/OpenDocument, EPUB, RTF, Markdown, HTML, CSV, text and code files';

/** The documents attached to this conversation (dropped on the chat) with their indexing state, and drops in flight. */
export function AttachedDocuments({ client, conversationId, items, version, onDismiss }: {
  client: RuntimeApi;
  conversationId: string | undefined;
  items: DropItem[];
  /** Bumped after an attach: reload. */
  version: number;
  onDismiss: (name: string) => void;
}) {
  const [attached, setAttached] = useState<Attached[]>([]);
  const [live, setLive] = useState<Record<number, KnowledgeProgress>>({});
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (!conversationId) {
      setAttached([]);
      return;
    }
    let stale = false;
    const load = async () => {
      const sources = (await client.knowledge.sources()).filter((s) => s.conversationId === conversationId);
      const withProblems = await Promise.all(sources.map(async (source): Promise<Attached> => {
        if (source.files.skipped + source.files.failed === 0) return { source };
        const problem = (await client.knowledge.files(source.id)).find((f) => f.state === 'skipped' || f.state === 'failed');
        return problem ? { source, problem } : { source };
      }));
      if (!stale) setAttached(withProblems);
    };
    load().catch((err: unknown) => { if (!stale) setError(errorText(err)); });
    return () => { stale = true; };
  }, [client, conversationId, version, reloads]);

  useEffect(() => client.onEvent((event) => {
    if (event.type !== 'knowledge.progress') return;
    const { type: _type, time: _time, ...progress } = event;
    setLive((all) => ({ ...all, [event.sourceId]: progress }));
    if (event.state === 'done') setReloads((n) => n + 1);
  }), [client]);

  if (attached.length === 0 && items.length === 0 && !error) return null;
  const remove = (id: number) => {
    client.knowledge.remove(id).then(() => { setReloads((n) => n + 1); }, (err: unknown) => { setError(errorText(err)); });
  };
  return (
    <section className="attachments" aria-label="Documents in this conversation">
      <ul>
        {attached.map(({ source, problem }) => (
          <li key={source.id} aria-label={`Document ${baseName(source.path)}`}>
            <span className="attachment-name" title={source.path}>{baseName(source.path)}</span>
            <span className={problem && source.files.indexed === 0 ? 'error-line small' : 'muted small'}>{stateText(source, live[source.id], problem)}</span>
            <button type="button" className="link-button small" aria-label={`Remove ${baseName(source.path)} from this conversation`} onClick={() => { remove(source.id); }}>Remove</button>
          </li>
        ))}
        {items.map((item) => (
          <li key={`drop-${item.name}`} aria-label={`Document ${item.name}`}>
            <span className="attachment-name">{item.name}</span>
            {item.state === 'error' ? (
              <>
                <span className="error-line small" role="alert">not attached: {item.message}</span>
                <button type="button" className="link-button small" aria-label={`Dismiss ${item.name}`} onClick={() => { onDismiss(item.name); }}>Dismiss</button>
              </>
            ) : (
              <span className="muted small" role="status">{item.state === 'attaching' ? (item.sent !== undefined && item.sent < 1 ? `uploading… ${Math.round(item.sent * 100)}%` : 'attaching…') : conversationId ? 'waiting…' : 'attached when you send your first message'}</span>
            )}
          </li>
        ))}
      </ul>
      {error && <p className="error-line small" role="alert">{error}</p>}
    </section>
  );
}

function stateText(source: KnowledgeSourceView, progress: KnowledgeProgress | undefined, problem: KnowledgeFileView | undefined): string {
  if (progress?.state === 'running') return `indexing… ${progress.done}/${progress.total}`;
  const { indexed, pending } = source.files;
  if (pending > 0 && !problem) return 'indexing…';
  const used = indexed > 0 ? `${source.chunks} passage${source.chunks === 1 ? '' : 's'}` : '';
  if (!problem) return used || 'no text found';
  const why = problem.reason === 'binary file type' ? `unsupported file type — ${READABLE}` : (problem.reason ?? problem.state);
  const name = source.kind === 'folder' ? `${baseName(problem.path)}: ` : '';
  return indexed > 0 ? `${used}; ${name}not used: ${why}` : `not used: ${name}${why}`;
}

const baseName = (file: string) => file.split(/[\\/]/).filter(Boolean).pop() ?? file;
