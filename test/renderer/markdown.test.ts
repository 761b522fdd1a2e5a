import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../src/renderer/src/markdown.tsx';
import { highlight, knownLang } from '../../src/renderer/src/highlight.ts';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown renderer', () => {
  it('renders paragraphs, headings, lists, quotes, inline styles and GFM tables', () => {
    const out = html('# Title\n\nSome **bold**, *em*, ~~gone~~ and `code`.\n\n- a\n- b\n\n1. one\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(out).toContain('<h1>Title</h1>');
    expect(out).toContain('<p>Some <strong>bold</strong>, <em>em</em>, <del>gone</del> and <code>code</code>.</p>');
    expect(out).toMatch(/<ul>\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/);
    expect(out).toContain('<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>');
  });

  it('fenced code gets a block with its language label and a copy button', () => {
    const out = html('```ts\nconst x = 1;\n```');
    expect(out).toContain('aria-label="Code: ts"');
    expect(out).toContain('<span class="code-lang">ts</span>');
    expect(out).toContain('aria-label="Copy code"');
    expect(out).toContain('const x = 1;');
  });

  it('never injects markup from the text and links only http(s)', () => {
    const out = html('<img src=x onerror=alert(1)> [click](javascript:alert(1)) [site](https://example.com)');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('javascript:');
    expect(out).toContain('<span>click</span>');
    expect(out).toContain('<a href="https://example.com" target="_blank" rel="noreferrer noopener">site</a>');
  });

  it('shows an unterminated code fence while it is still streaming', () => {
    expect(html('```\npartial')).toContain('partial');
  });
});

describe('highlighting', () => {
  it('knows common languages by alias; tokens are coloured per theme', async () => {
    expect(knownLang('ts')).toBe('typescript');
    expect(knownLang('sh')).toBe('shellscript');
    expect(knownLang('brainfuck')).toBeUndefined();
    const lines = await highlight('const x = 1;\nreturn x;', 'javascript', 'light');
    expect(lines).toHaveLength(2);
    const colors = new Set(lines[0]!.map((t) => t.color));
    expect(colors.size).toBeGreaterThan(1);
    const dark = await highlight('const x = 1;', 'javascript', 'dark');
    expect(dark[0]![0]!.color).not.toBe(lines[0]![0]!.color);
  });
});
