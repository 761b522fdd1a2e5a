// A fenced code block: language label, copy button, Shiki highlighting once loaded (plain text until then).
import { useEffect, useState } from 'react';
import { highlight, knownLang, type Line } from '../../highlight.ts';
import { useResolvedTheme } from '../../theme.ts';
import { CopyButton } from './CopyButton.tsx';

export function CodeBlock({ code, lang, label }: { code: string; lang?: string | undefined; label?: string }) {
  const known = knownLang(lang);
  const theme = useResolvedTheme();
  // Tokens of the code they were made for: while a newer version of a streamed block is highlighted, it shows plain.
  const [done, setDone] = useState<{ code: string; theme: string; lines: Line[] }>();
  useEffect(() => {
    if (!known) return;
    let live = true;
    highlight(code, known, theme).then((tokens) => { if (live) setDone({ code, theme, lines: tokens }); }, () => undefined);
    return () => { live = false; };
  }, [code, known, theme]);
  const lines = done?.code === code && done.theme === theme ? done.lines : undefined;
  const name = label ?? (lang || 'text');
  return (
    <figure className="code-block" aria-label={`Code: ${name}`}>
      <figcaption className="code-head">
        <span className="code-lang">{name}</span>
        <CopyButton text={code} label="Copy code" />
      </figcaption>
      <pre className="code-body" data-lang={lang || undefined} tabIndex={0}>
        <code>
          {lines
            ? lines.map((line, i) => (
                <span key={i} className="code-line">
                  {line.map((token, j) => (
                    <span key={j} style={{ color: token.color }}>{token.content}</span>
                  ))}
                  {i < lines.length - 1 ? '\n' : ''}
                </span>
              ))
            : code}
        </code>
      </pre>
    </figure>
  );
}
