// The sources an answer cites, listed under it: file and where in it (page, lines, heading); each opens the preview.
import type { CitedPassage } from '../../citations.tsx';

const baseName = (file: string) => file.split(/[\\/]/).filter(Boolean).pop() ?? file;

function where(c: CitedPassage['citation']): string {
  if (c.page !== undefined) return `p. ${c.page}`;
  if (c.lineStart !== undefined) return c.lineEnd && c.lineEnd !== c.lineStart ? `lines ${c.lineStart}–${c.lineEnd}` : `line ${c.lineStart}`;
  return c.headings?.length ? c.headings.join(' › ') : '';
}

export function SourcesList({ passages, onOpen }: { passages: readonly CitedPassage[]; onOpen: (passage: CitedPassage) => void }) {
  if (!passages.length) return null;
  return (
    <nav className="sources" aria-label="Sources">
      <span className="sources-title muted small">Sources</span>
      <ol className="sources-list">
        {passages.map((p) => (
          <li key={p.citation.n}>
            <button type="button" className="source-chip" title={p.citation.file} onClick={() => { onOpen(p); }}>
              <span className="source-n">{p.citation.n}</span>
              <span className="source-name">{baseName(p.citation.file)}</span>
              {where(p.citation) && <span className="muted">{where(p.citation)}</span>}
              {p.citation.page === undefined && p.citation.lineStart === undefined ? null : p.citation.headings?.length ? <span className="muted source-heading">{p.citation.headings.at(-1)}</span> : null}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
