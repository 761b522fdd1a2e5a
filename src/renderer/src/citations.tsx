// `[n]` in an answer → a link to the passage `search_knowledge` returned as [n] in the same run (file, page).
import type { ReactNode } from 'react';
import { citationHref, parseCitations, type KnowledgeCitation } from '../../common/index.ts';

/** The citations of a run: every numbered passage its search_knowledge calls returned. */
export function citationsOf(items: readonly { kind: string; name?: string; output?: string }[]): KnowledgeCitation[] {
  return items.flatMap((item) => (item.kind === 'tool' && item.name === 'search_knowledge' && item.output ? parseCitations(item.output) : []));
}

export function withCitations(nodes: ReactNode[], citations: readonly KnowledgeCitation[] | undefined): ReactNode[] {
  if (!citations?.length) return nodes;
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  return nodes.flatMap((node, i) => {
    if (typeof node !== 'string') return [node];
    return node.split(/(\[\d+\])/).map((part, j) => {
      const c = /^\[(\d+)\]$/.exec(part) && byNumber.get(Number(part.slice(1, -1)));
      if (!c) return part;
      return <a key={`cite-${i}-${j}`} className="citation" href={citationHref(c)} title={c.label} aria-label={`Source ${c.n}: ${c.label}`} target="_blank" rel="noreferrer noopener">[{c.n}]</a>;
    });
  });
}
