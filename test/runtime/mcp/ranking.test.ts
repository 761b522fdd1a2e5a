// Tool ranking: embeddings when the provider can embed, keywords (with the reason) when it cannot or fails.
import { describe, expect, it } from 'vitest';
import { exposedNames, ToolRanker } from '../../../src/runtime/mcp/index.ts';

const tools = [
  { name: 'fs__write_file', description: 'Write a file to disk', parameters: {} },
  { name: 'web__search', description: 'Search the web for pages', parameters: {} },
  { name: 'fs__read_file', description: 'Read the contents of a file', parameters: {} },
];

describe('ToolRanker', () => {
  it('ranks by keywords when the provider cannot embed, and says why', async () => {
    const ranked = await new ToolRanker({}).rank('please read the file notes.txt', tools);
    expect(ranked).toMatchObject({ ranking: 'keyword', fallback: 'the model provider cannot embed text' });
    expect(ranked.tools[0]!.name).toBe('fs__read_file');
  });

  it('falls back to keywords when embedding fails', async () => {
    let attempts = 0;
    const ranker = new ToolRanker({ embed: () => (attempts++, Promise.reject(new Error('model does not support embeddings'))) });
    const ranked = await ranker.rank('search the web', tools);
    expect(ranked).toMatchObject({ ranking: 'keyword', fallback: 'embedding failed: model does not support embeddings' });
    expect(ranked.tools[0]!.name).toBe('web__search');
    expect((await ranker.rank('write a file', tools)).tools[0]!.name).toBe('fs__write_file');
    expect(attempts).toBe(1);
  });

  it('ranks by embedding similarity and embeds each tool only once', async () => {
    const calls: string[][] = [];
    const vector = (text: string) => (text.includes('web') ? [1, 0] : [0, 1]);
    const ranker = new ToolRanker({ embed: async (texts) => (calls.push(texts), texts.map(vector)) });
    expect((await ranker.rank('web', tools)).tools[0]!.name).toBe('web__search');
    await ranker.rank('files', tools);
    expect(calls.map((c) => c.length)).toEqual([4, 1]);
  });
});

describe('fused ranking', () => {
  const many = [
    ...Array.from({ length: 30 }, (_, i) => ({ name: `srv__tool_${i}`, description: `Does thing ${i} with files`, parameters: {} })),
    { name: 'srv__zap', description: 'Misc', parameters: {} },
  ];

  it('offers a tool the goal names first, even when embeddings rank it last', async () => {
    const ranker = new ToolRanker({ embed: async (texts) => texts.map((t) => (t.includes('zap') ? [0, 1] : [1, 0])) });
    const ranked = await ranker.rank('call zap on the files', many);
    expect(ranked.ranking).toBe('embedding');
    expect(ranked.tools[0]!.name).toBe('srv__zap');
  });

  it('offers a tool the goal names first without an embedding model', async () => {
    const ranked = await new ToolRanker({}).rank('use srv__zap please', many);
    expect(ranked.tools[0]!.name).toBe('srv__zap');
  });

  it('fuses keyword and embedding ranks: a tool both rank well beats one only embeddings like', async () => {
    const docs = [
      { name: 'a__only_embedding', description: 'Unrelated words here', parameters: {} },
      { name: 'a__read_file', description: 'Read the contents of a file', parameters: {} },
      { name: 'a__other', description: 'Something else', parameters: {} },
    ];
    const vectors: Record<string, number[]> = { only: [1, 0], read: [0.9, 0.1] };
    const embed = async (texts: string[]) => texts.map((t) => (t.includes('only') ? vectors.only! : t.includes('read') ? vectors.read! : [0, 1]));
    const ranked = await new ToolRanker({ embed: async (texts) => (await embed(texts)).map((v, i) => (i === 0 ? [1, 0] : v)) }).rank('read a file', docs);
    expect(ranked.tools[0]!.name).toBe('a__read_file');
  });
});

describe('exposedNames', () => {
  it('namespaces, cleans, shortens and de-duplicates tool names', () => {
    const long = 'x'.repeat(80);
    const names = exposedNames('srv', ['a.b', 'a_b', 'ok-name', long, `${long}y`], new Set(['srv__ok-name']));
    expect(names.slice(0, 3)).toEqual(['srv__a_b', 'srv__a_b_2', 'srv__ok-name_2']);
    expect(names[3]).toHaveLength(64);
    expect(names[4]).toHaveLength(64);
    expect(names[3]).not.toBe(names[4]);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
