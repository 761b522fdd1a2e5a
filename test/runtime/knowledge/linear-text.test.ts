// Untrusted text never meets a backtracking pattern: the heading, sentence and trailing-space handling that used
// to take cubic or quadratic time on a crafted line (a poison-pill Markdown file froze the host) is linear now.
import { describe, expect, it } from 'vitest';
import { formatCitation, parseCitations } from '../../../src/common/index.ts';
import { chunkBlocks, sentences } from '../../../src/runtime/knowledge/chunker.ts';
import { atxHeading, markdownBlocks, textBlocks } from '../../../src/runtime/knowledge/parse/blocks.ts';

/** Each input below took minutes to hours with the old patterns; linear code does them in milliseconds. */
const within = (ms: number, work: () => unknown) => {
  const started = performance.now();
  work();
  expect(performance.now() - started).toBeLessThan(ms);
};

describe('linear-time text handling', () => {
  it('reads ATX headings like before', () => {
    expect(atxHeading('# Title')).toEqual({ level: 1, text: 'Title' });
    expect(atxHeading('### Title ###  ')).toEqual({ level: 3, text: 'Title' });
    expect(atxHeading('## C#')).toEqual({ level: 2, text: 'C#' });
    expect(atxHeading('#hashtag')).toBeUndefined();
    expect(atxHeading('####### seven')).toBeUndefined();
    expect(atxHeading('#   ')).toBeUndefined();
    expect(atxHeading(`# ${'x'.repeat(500)}`)!.text).toHaveLength(201);
    expect(markdownBlocks('# A\n\ntext\n\n```\n# not a heading\n```\n## B ##\nmore')).toEqual([
      { text: 'A', heading: 1, lineStart: 1, lineEnd: 1 },
      { text: 'text', lineStart: 3, lineEnd: 3 },
      { text: '```\n# not a heading\n```', code: true, lineStart: 5, lineEnd: 7 },
      { text: 'B', heading: 2, lineStart: 8, lineEnd: 8 },
      { text: 'more', lineStart: 9, lineEnd: 9 },
    ]);
  });

  it('a heading with a long run of spaces (the poison pill) is read at once', () => {
    const line = `# a${' '.repeat(200_000)}x`;
    within(1000, () => expect(markdownBlocks(line)[0]).toMatchObject({ heading: 1, text: expect.stringMatching(/^a +…$/) }));
    within(1000, () => markdownBlocks(`# a${' #'.repeat(100_000)} x\n`.repeat(5)));
  });

  it('trailing white space of a long block is cut in linear time', () => {
    within(1000, () => expect(textBlocks(`a${' '.repeat(200_000)}b${' '.repeat(10)}`)[0]!.text).toMatch(/b$/));
  });

  it('splits sentences like before, and a long text with one stray dot in linear time', () => {
    expect(sentences('One. Two!  Three? four')).toEqual(['One. ', 'Two!  ', 'Three? ', 'four']);
    expect(sentences('v1.2 is out... yes')).toEqual(['v1.2 is out... ', 'yes']);
    within(1000, () => expect(sentences(`${'a'.repeat(300_000)}.b`)).toHaveLength(1));
    const block = { text: `${'word '.repeat(100_000)}.b` };
    within(3000, () => expect(chunkBlocks([block], { chunkChars: 1200, overlapChars: 150 }).length).toBeGreaterThan(100));
  });

  it('no passage carries a line longer than a passage: long lines are cut into words, long words into pieces', () => {
    const hostile = `[1] ${' · a'.repeat(20_000)}\nsecond line`;
    const chunks = chunkBlocks([{ text: hostile, lineStart: 1, lineEnd: 2 }, { text: 'x'.repeat(5000) }], { chunkChars: 1200, overlapChars: 150 });
    expect(Math.max(...chunks.flatMap((c) => c.text.split('\n').map((line) => line.length)))).toBeLessThanOrEqual(1200);
  });

  it('reads citations back line by line, and a hostile passage line in linear time', () => {
    const cited = [
      formatCitation({ n: 1, label: 'handbook.pdf, p. 2', file: '/d/handbook.pdf', page: 2, headings: ['Leave', 'Parental'] }, 'sixteen weeks'),
      formatCitation({ n: 2, label: 'src/a#b.ts, lines 3–4', file: '/d/src/a#b.ts', lineStart: 3, lineEnd: 4 }, 'code'),
      formatCitation({ n: 3, label: 'notes · draft.md', file: '/d/notes · draft.md' }, 'plain'),
    ].join('\n\n');
    expect(parseCitations(cited)).toEqual([
      { n: 1, label: 'handbook.pdf, p. 2', file: '/d/handbook.pdf', page: 2, headings: ['Leave', 'Parental'] },
      { n: 2, label: 'src/a#b.ts, lines 3–4', file: '/d/src/a#b.ts', lineStart: 3, lineEnd: 4 },
      { n: 3, label: 'notes', file: '/d/notes · draft.md', headings: ['draft.md'] },
    ]);
    within(1000, () => expect(parseCitations(`[1] ${' · a'.repeat(50_000)}\nnope`)).toEqual([]));
  });
});
