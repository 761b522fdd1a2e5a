import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../src/renderer/src/markdown.tsx';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown renderer', () => {
  it('renders paragraphs, headings, lists, quotes, code and inline styles', () => {
    const out = html('# Title\n\nSome **bold**, *em* and `code`.\n\n- a\n- b\n\n1. one\n\n> quoted\n\n```ts\nconst x = 1;\n```');
    expect(out).toContain('<h3>Title</h3>');
    expect(out).toContain('<p>Some <strong>bold</strong>, <em>em</em> and <code>code</code>.</p>');
    expect(out).toContain('<ul><li>a</li><li>b</li></ul>');
    expect(out).toContain('<ol><li>one</li></ol>');
    expect(out).toContain('<blockquote>quoted</blockquote>');
    expect(out).toContain('<pre class="md-code" data-lang="ts"><code>const x = 1;</code></pre>');
  });

  it('never injects markup from the text and links only http(s)', () => {
    const out = html('<img src=x onerror=alert(1)> [click](javascript:alert(1)) [site](https://example.com)');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).not.toContain('javascript:');
    expect(out).toContain('<span>click</span>');
    expect(out).toContain('<a href="https://example.com" target="_blank" rel="noreferrer noopener">site</a>');
  });

  it('shows an unterminated code fence while it is still streaming', () => {
    expect(html('```\npartial')).toContain('<code>partial</code>');
  });
});
