// Model output as Markdown (GFM: tables, task lists, strikethrough, autolinks) via react-markdown: React elements,
// never raw HTML, so model output cannot inject markup. Code blocks are highlighted with Shiki, with copy + language.
import { Children, useMemo, type ReactElement, type ReactNode } from 'react';
import ReactMarkdown, { defaultUrlTransform, type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { withCitations, type CitedPassage } from './citations.tsx';
import { CodeBlock } from './components/common/CodeBlock.tsx';

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) return textOf((node as ReactElement<{ children?: ReactNode }>).props.children);
  return '';
}

const COMPONENTS: Components = {
  pre({ children }) {
    const code = (Array.isArray(children) ? children[0] : children) as ReactElement<{ className?: string; children?: ReactNode }> | undefined;
    const lang = /language-([\w+#.-]+)/.exec(code?.props.className ?? '')?.[1];
    return <CodeBlock code={textOf(code?.props.children).replace(/\n$/, '')} lang={lang} />;
  },
  a({ href, children }) {
    return href && /^https?:/i.test(href) ? (
      <a href={href} target="_blank" rel="noreferrer noopener">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    );
  },
  table({ children }) {
    return (
      <div className="table-wrap">
        <table>{children}</table>
      </div>
    );
  },
  img({ alt }) {
    return <span className="muted">[image{alt ? `: ${alt}` : ''}]</span>;
  },
};

/** Only http(s) and mailto links survive; everything else becomes plain text. */
const urlTransform = (url: string) => (/^(https?:|mailto:)/i.test(url) ? defaultUrlTransform(url) : '');

/** `citations`: `[n]` in paragraphs, list items and table cells opens the passage `search_knowledge` returned. */
export function Markdown({ text, citations, onCite }: { text: string; citations?: readonly CitedPassage[]; onCite?: (passage: CitedPassage) => void }) {
  const components = useMemo<Components>(() => {
    if (!citations?.length) return COMPONENTS;
    const cite = (children: ReactNode) => withCitations(Children.toArray(children), citations, onCite);
    return {
      ...COMPONENTS,
      p: ({ children }) => <p>{cite(children)}</p>,
      li: ({ children }) => <li>{cite(children)}</li>,
      td: ({ children }) => <td>{cite(children)}</td>,
    };
  }, [citations, onCite]);
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components} urlTransform={urlTransform}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
