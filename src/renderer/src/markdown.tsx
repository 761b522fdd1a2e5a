// A small, safe Markdown renderer: builds React elements (never HTML strings), so model output cannot inject markup.
// Supports paragraphs, headings, fenced code, lists, quotes, inline code, bold, italic and http(s) links.
import type { ReactNode } from 'react';
import type { KnowledgeCitation } from '../../common/index.ts';
import { withCitations } from './citations.tsx';

type Block =
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'paragraph'; text: string };

const LIST_ITEM = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/;

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) body.push(lines[i]!);
      blocks.push({ kind: 'code', lang: fence[1] ?? '', text: body.join('\n') });
      i++; // closing fence (or end of a still-streaming block)
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = item[1] !== undefined;
      const items: string[] = [];
      for (; i < lines.length && LIST_ITEM.test(lines[i]!); i++) items.push(LIST_ITEM.exec(lines[i]!)![2]!);
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i]!); i++) quoted.push(lines[i]!.replace(/^\s*>\s?/, ''));
      blocks.push({ kind: 'quote', text: quoted.join(' ') });
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const text: string[] = [];
    for (; i < lines.length && lines[i]!.trim() && !/^\s*(```|#{1,6}\s|>)/.test(lines[i]!) && !LIST_ITEM.test(lines[i]!); i++) text.push(lines[i]!);
    blocks.push({ kind: 'paragraph', text: text.join('\n') });
  }
  return blocks;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

export function renderInline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let key = 0;
  while (rest) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push(rest);
      break;
    }
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const [token] = match;
    if (match[1]) out.push(<code key={key++}>{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong key={key++}>{renderInline(token.slice(2, -2))}</strong>);
    else if (match[3]) out.push(<em key={key++}>{renderInline(token.slice(1, -1))}</em>);
    else out.push(link(token, key++));
    rest = rest.slice(match.index + token.length);
  }
  return out;
}

function link(token: string, key: number): ReactNode {
  const [, label = '', href = ''] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
  if (!/^https?:\/\//i.test(href)) return <span key={key}>{label}</span>;
  return (
    <a key={key} href={href} target="_blank" rel="noreferrer noopener">
      {label}
    </a>
  );
}

export function Markdown({ text, citations }: { text: string; citations?: readonly KnowledgeCitation[] }) {
  return (
    <div className="markdown">
      {parseBlocks(text).map((block, index) => {
        switch (block.kind) {
          case 'code':
            return (
              <pre key={index} className="md-code" data-lang={block.lang || undefined}>
                <code>{block.text}</code>
              </pre>
            );
          case 'heading': {
            const Tag = `h${Math.min(block.level + 2, 6)}` as 'h3';
            return <Tag key={index}>{renderInline(block.text)}</Tag>;
          }
          case 'list': {
            const Tag = block.ordered ? 'ol' : 'ul';
            return <Tag key={index}>{block.items.map((item, n) => <li key={n}>{withCitations(renderInline(item), citations)}</li>)}</Tag>;
          }
          case 'quote':
            return <blockquote key={index}>{renderInline(block.text)}</blockquote>;
          case 'paragraph':
            return <p key={index}>{withCitations(renderInline(block.text), citations)}</p>;
        }
      })}
    </div>
  );
}
