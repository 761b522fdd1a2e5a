// Knowledge: the folders and files the agent may search — add and remove them, watch ingestion progress and
// per-file errors, re-index, and try a search to see exactly the passages the agent gets.
import { useEffect, useState } from 'react';
import type { KnowledgeFileView, KnowledgeProgress, KnowledgeSearchResult, KnowledgeSourceView, RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';

export function KnowledgePanel({ client }: { client: RuntimeApi }) {
  const [sources, reload] = useLoad(() => client.knowledge.sources(), [client]);
  const [live, setLive] = useState<Record<number, KnowledgeProgress>>({});
  const [error, setError] = useState<string>();
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type !== 'knowledge.progress') return;
        setLive((all) => ({ ...all, [event.sourceId]: event }));
        if (event.state === 'done') reload();
      }),
    [client, reload],
  );
  const act = (promise: Promise<unknown>) => {
    setError(undefined);
    promise.then(reload, (err: unknown) => { setError(errorText(err)); });
  };
  return (
    <section className="panel" aria-label="Knowledge">
      <h2>Knowledge</h2>
      <p className="muted">Folders and files the agent may search and cite (search_knowledge, read_document). Everything stays on this machine.</p>
      <AddSource onAdd={(spec) => { act(client.knowledge.add(spec)); }} />
      <LoadView load={sources}>
        {(list) => (
          <ul className="cards" aria-label="Knowledge sources">
            {list.length === 0 && <li className="muted">No sources yet. Add a folder above, or list it under knowledge.paths in rein.yaml.</li>}
            {list.map((source) => (
              <SourceCard key={source.id} client={client} source={source} progress={live[source.id] ?? source.progress}
                onReindex={() => { act(client.knowledge.reindex(source.id)); }}
                onRemove={() => { act(client.knowledge.remove(source.id)); }} />
            ))}
          </ul>
        )}
      </LoadView>
      {error && <p className="error-line" role="alert">{error}</p>}
      <SearchBox client={client} />
    </section>
  );
}

function AddSource({ onAdd }: { onAdd: (spec: { path: string; include?: string[]; exclude?: string[] }) => void }) {
  const [path, setPath] = useState('');
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const globs = (text: string) => text.split(',').map((g) => g.trim()).filter(Boolean);
  return (
    <form className="row" aria-label="Add knowledge source" onSubmit={(e) => {
      e.preventDefault();
      if (!path.trim()) return;
      onAdd({ path: path.trim(), ...(globs(include).length ? { include: globs(include) } : {}), ...(globs(exclude).length ? { exclude: globs(exclude) } : {}) });
      setPath('');
    }}>
      <input aria-label="Folder or file path" className="text-input grow" placeholder="/path/to/folder or file" value={path} onChange={(e) => { setPath(e.target.value); }} />
      <input aria-label="Include globs" className="text-input" placeholder="include, e.g. **/*.pdf" value={include} onChange={(e) => { setInclude(e.target.value); }} />
      <input aria-label="Exclude globs" className="text-input" placeholder="exclude, e.g. drafts/**" value={exclude} onChange={(e) => { setExclude(e.target.value); }} />
      <button type="submit" className="button">Add</button>
    </form>
  );
}

interface CardProps {
  client: RuntimeApi;
  source: KnowledgeSourceView;
  progress: KnowledgeProgress | undefined;
  onReindex: () => void;
  onRemove: () => void;
}

function SourceCard({ client, source, progress, onReindex, onRemove }: CardProps) {
  const [showFiles, setShowFiles] = useState(false);
  const running = progress?.state === 'running';
  const scope = source.conversationId ? `this conversation only (${source.conversationId})` : source.origin === 'config' ? 'rein.yaml' : 'all conversations';
  return (
    <li className="card" aria-label={`Source ${source.path}`}>
      <div className="row">
        <span className={`dot dot-${running ? 'pending' : source.files.failed ? 'warn' : 'good'}`} />
        <strong className="grow">{source.path}</strong>
        <span className="muted small">{source.kind} · {scope}</span>
      </div>
      <p className="small" aria-label="Source status">
        {source.files.indexed} indexed · {source.files.skipped} skipped · {source.files.failed} failed{source.files.pending ? ` · ${source.files.pending} pending` : ''} · {source.chunks} passages
      </p>
      {running && (
        <div aria-label="Ingestion progress">
          <progress max={Math.max(1, progress.total)} value={progress.done} /> <span className="small">{progress.done}/{progress.total}</span>
          {progress.current && <p className="muted small">reading {progress.current}</p>}
        </div>
      )}
      {progress?.embedUnavailable && <p className="badge badge-warn">Text search only: {progress.embedUnavailable}</p>}
      {progress && progress.errors.length > 0 && (
        <ul className="plain small" aria-label="Ingestion errors">
          {progress.errors.map((e) => <li key={e.file} className="error-line">{e.file}: {e.reason}</li>)}
        </ul>
      )}
      <div className="row">
        <button type="button" className="link-button" disabled={running} onClick={onReindex}>Re-index</button>
        <button type="button" className="link-button" onClick={() => { setShowFiles(!showFiles); }}>{showFiles ? 'Hide files' : 'Files'}</button>
        {source.origin === 'config'
          ? <span className="muted small">remove it from knowledge.paths in rein.yaml</span>
          : <button type="button" className="link-button" onClick={onRemove}>Remove</button>}
      </div>
      {showFiles && <FileList client={client} sourceId={source.id} />}
    </li>
  );
}

const STATE_TONE = { indexed: 'good', skipped: 'pending', failed: 'bad', pending: 'warn' } as const;

function FileList({ client, sourceId }: { client: RuntimeApi; sourceId: number }) {
  const [files] = useLoad(() => client.knowledge.files(sourceId), [client, sourceId]);
  return (
    <LoadView load={files}>
      {(list: KnowledgeFileView[]) => (
        <ul className="plain small" aria-label="Files">
          {list.length === 0 && <li className="muted">No files yet.</li>}
          {list.map((f) => (
            <li key={f.path}>
              <span className={`badge badge-${STATE_TONE[f.state]}`}>{f.state}</span> {f.path}
              {f.state === 'indexed' ? <span className="muted"> · {f.chunks} passages</span> : f.reason ? <span className="muted"> · {f.reason}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </LoadView>
  );
}

function SearchBox({ client }: { client: RuntimeApi }) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<KnowledgeSearchResult>();
  const [error, setError] = useState<string>();
  const search = () => {
    if (!query.trim()) return;
    client.knowledge.search(query).then((r) => { setResult(r); setError(undefined); }, (err: unknown) => { setError(errorText(err)); });
  };
  return (
    <>
      <h3>Try a search</h3>
      <form className="row" onSubmit={(e) => { e.preventDefault(); search(); }}>
        <input aria-label="Search knowledge" className="text-input grow" placeholder="What would the agent look for?" value={query} onChange={(e) => { setQuery(e.target.value); }} />
        <button type="submit" className="button">Search</button>
      </form>
      {error && <p className="error-line" role="alert">{error}</p>}
      {result && (
        <ol className="cards" aria-label="Passages">
          {result.mode === 'text' && <li className="muted small">Text search only: {result.unavailable}</li>}
          {result.passages.length === 0 && <li className="muted">No passages match.</li>}
          {result.passages.map((p) => (
            <li key={`${p.citation.file}:${p.citation.n}`} className="card">
              <p><strong>[{p.citation.n}] {p.citation.label}</strong>{p.citation.headings && <span className="muted small"> · {p.citation.headings.join(' > ')}</span>}</p>
              <p className="passage">{p.text}</p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
