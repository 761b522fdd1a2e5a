// `[n]` in an answer → the passage `search_knowledge` returned as [n] in the same run: a button that opens the source
// preview, and the list of cited sources under the answer.
import type { ReactNode } from 'react';
import { parsePassages, type KnowledgeCitation } from '../../common/index.ts';

export interface CitedPassage {
  citation: KnowledgeCitation;
  text: string;
}

/** The passages a run's search_knowledge calls returned, by number (a later call's [n] replaces an earlier one). */
export function passagesOf(items: readonly { kind: string; name?: string; output?: string }[]): CitedPassage[] {
  const byNumber = new Map<number, CitedPassage>();
  for (const item of items) {
    if (item.kind !== 'tool' || item.name !== 'search_knowledge' || !item.output) continue;
    for (const passage of parsePassages(item.output)) byNumber.set(passage.citation.n, passage);
  }
  return [...byNumber.values()].sort((a, b) => a.citation.n - b.citation.n);
}

/** The numbers an answer cites: `[2]`, `[1][3]`, `[1, 2]`. */
export function citedNumbers(answer: string): Set<number> {
  const numbers = new Set<number>();
  for (const match of answer.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) for (const n of match[1]!.split(',')) numbers.add(Number(n.trim()));
  return numbers;
}

export function withCitations(nodes: ReactNode[], passages: readonly CitedPassage[] | undefined, onOpen?: (passage: CitedPassage) => void): ReactNode[] {
  if (!passages?.length) return nodes;
  const byNumber = new Map(passages.map((p) => [p.citation.n, p]));
  return nodes.flatMap((node, i): ReactNode[] => {
    if (typeof node !== 'string') return [node];
    return node.split(/(\[\d+\])/).map((part, j) => {
      const passage = /^\[(\d+)\]$/.exec(part) && byNumber.get(Number(part.slice(1, -1)));
      if (!passage) return part;
      const { citation: c } = passage;
      return (
        <button key={`cite-${i}-${j}`} type="button" className="citation" title={c.label} aria-label={`Source ${c.n}: ${c.label}`} onClick={() => onOpen?.(passage)}>
          [{c.n}]
        </button>
      );
    });
  });
}
