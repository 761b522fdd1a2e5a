// A cited source beside the chat: the passage highlighted in its surrounding lines or PDF page, read fresh from the
// file through the API (so it works in a browser too); on the desktop it also opens in the app the system uses.
import { useEffect, useRef, useState } from 'react';
import type { KnowledgePreview, RuntimeApi } from '../../../../common/index.ts';
import type { CitedPassage } from '../../citations.tsx';
import { errorText } from '../../client.ts';
import { CopyButton } from '../common/CopyButton.tsx';

const baseName = (file: string) => file.split(/[\\/]/).filter(Boolean).pop() ?? file;

export function SourcePreview({ client, passage, onClose }: { client: RuntimeApi; passage: CitedPassage; onClose: () => void }) {
  const [preview, setPreview] = useState<KnowledgePreview>();
  const [error, setError] = useState<string>();
  const [opened, setOpened] = useState<string>();
  const panel = useRef<HTMLElement>(null);
  const mark = useRef<HTMLElement>(null);
  const { citation } = passage;

  useEffect(() => {
    let live = true;
    setPreview(undefined);
    setError(undefined);
    const { file, page, lineStart, lineEnd } = citation;
    client.knowledge.preview({ file, ...(page ? { page } : {}), ...(lineStart ? { lineStart } : {}), ...(lineEnd ? { lineEnd } : {}) }, passage.text).then(
      (found) => { if (live) setPreview(found); },
      (err: unknown) => { if (live) setError(errorText(err)); },
    );
    return () => { live = false; };
  }, [client, citation, passage.text]);
  useEffect(() => { panel.current?.focus(); }, [citation]);
  useEffect(() => { mark.current?.scrollIntoView({ block: 'center' }); }, [preview]);

  const openInApp = () => {
    void window.reinDesktop?.openPath(citation.file).then((ok) => { setOpened(ok ? 'Opened.' : 'This file cannot be opened from Rein (only documents inside a knowledge source are).'); });
  };
  return (
    <aside ref={panel} className="source-preview" aria-label={`Source ${citation.n}: ${citation.label}`} tabIndex={-1} onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
      <header className="source-head">
        <div className="source-title">
          <strong>[{citation.n}] {baseName(citation.file)}</strong>
          <span className="muted small">{preview?.range ?? citation.label}{citation.headings?.length ? ` · ${citation.headings.join(' › ')}` : ''}</span>
        </div>
        <button type="button" className="ghost-button" aria-label="Close source" onClick={onClose}>✕</button>
      </header>
      <p className="source-path muted small" title={citation.file}>{citation.file}</p>
      <div className="row source-actions">
        {window.reinDesktop ? <button type="button" className="button" onClick={openInApp}>Open in its app</button> : null}
        <CopyButton text={citation.file} label="Copy path" />
        {opened && <span className="muted small" role="status">{opened}</span>}
      </div>
      {error && <p className="error-line" role="alert">{error}</p>}
      {!preview && !error && <p className="muted">Reading the source…</p>}
      {preview && <PreviewText preview={preview} markRef={mark} />}
      {preview && !preview.highlight && <p className="muted small">The cited passage was not found as such in the file now (was it changed?); it read: “{passage.text.slice(0, 300)}”</p>}
    </aside>
  );
}

function PreviewText({ preview, markRef }: { preview: KnowledgePreview; markRef: React.RefObject<HTMLElement | null> }) {
  const { text, highlight } = preview;
  const before = highlight ? text.slice(0, highlight.start) : text;
  const cited = highlight ? text.slice(highlight.start, highlight.end) : '';
  const after = highlight ? text.slice(highlight.end) : '';
  return (
    <figure className="source-text-wrap">
      <figcaption className="visually-hidden">{preview.kind === 'page' ? `Page ${preview.page} of ${preview.pages}` : preview.range}</figcaption>
      {preview.kind === 'page' && <p className="source-page muted small">Page {preview.page} of {preview.pages}</p>}
      {preview.truncated && preview.kind !== 'lines' && <p className="muted small">…</p>}
      <pre className={`source-text${preview.kind === 'lines' ? ' source-lines' : ''}`} data-first-line={preview.firstLine}>
        {before}
        {highlight && <mark ref={markRef as React.RefObject<HTMLElement>} aria-label="Cited passage">{cited}</mark>}
        {after}
      </pre>
    </figure>
  );
}
