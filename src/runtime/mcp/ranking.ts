// Ranks tools by relevance to a text: keyword (BM25) and embedding ranks fused by reciprocal rank fusion, so a
// tool the text names cannot be missed; keywords alone when the model provider cannot embed.
import { cosine, errorMessage } from '../base/index.ts';
import type { ModelClient, ToolSpec } from '../model/index.ts';

export type Ranking = 'embedding' | 'keyword';

export interface Ranked {
  tools: ToolSpec[];
  ranking: Ranking;
  /** Why embeddings were not used, when they were not. */
  fallback?: string;
}

export class ToolRanker {
  private readonly model: Pick<ModelClient, 'embed'>;
  private readonly vectors = new Map<string, number[]>();
  /** Set after embedding failed once: the model will not start embedding later, so it is not asked again. */
  private unavailable: string | undefined;

  constructor(model: Pick<ModelClient, 'embed'>) {
    this.model = model;
  }

  async rank(query: string, tools: readonly ToolSpec[], signal?: AbortSignal): Promise<Ranked> {
    const keyword = byKeywords(query, tools);
    if (!this.model.embed) this.unavailable = 'the model provider cannot embed text';
    if (this.unavailable) return { tools: namedFirst(query, keyword), ranking: 'keyword', fallback: this.unavailable };
    try {
      const scores = await this.similarities(query, tools, signal);
      const semantic = tools.map((tool, i) => ({ tool, score: scores[i]!, i })).sort((a, b) => b.score - a.score || a.i - b.i);
      return { tools: namedFirst(query, fuse([keyword, semantic.map((o) => o.tool)])), ranking: 'embedding' };
    } catch (error) {
      if (signal?.aborted) throw error;
      this.unavailable = `embedding failed: ${errorMessage(error)}`;
      return { tools: namedFirst(query, keyword), ranking: 'keyword', fallback: this.unavailable };
    }
  }

  private async similarities(query: string, tools: readonly ToolSpec[], signal?: AbortSignal): Promise<number[]> {
    const texts = tools.map(toolText);
    const missing = [...new Set(texts.filter((t) => !this.vectors.has(t)))];
    const vectors = await this.model.embed!([query, ...missing], signal);
    if (vectors.length !== missing.length + 1) throw new Error(`expected ${missing.length + 1} embeddings, got ${vectors.length}`);
    missing.forEach((text, i) => this.vectors.set(text, vectors[i + 1]!));
    return texts.map((text) => cosine(vectors[0]!, this.vectors.get(text)!));
  }
}

export function toolText(tool: ToolSpec): string {
  return `${tool.name.replace(/[_-]+/g, ' ')}: ${tool.description}`;
}

/** Reciprocal rank fusion: each list gives 1/(K + rank); the sum orders the tools (ties keep the first list's order). */
const RRF_K = 60;
export function fuse(lists: readonly (readonly ToolSpec[])[]): ToolSpec[] {
  const score = new Map<ToolSpec, number>();
  for (const list of lists) list.forEach((tool, rank) => score.set(tool, (score.get(tool) ?? 0) + 1 / (RRF_K + rank + 1)));
  const first = lists[0] ?? [];
  return [...first].sort((a, b) => score.get(b)! - score.get(a)! || first.indexOf(a) - first.indexOf(b));
}

/** True when `text` names the tool: its exposed name, or its own name without the `<server>__` prefix. */
export function namedIn(text: string, toolName: string): boolean {
  const lower = text.toLowerCase();
  const own = toolName.includes('__') ? toolName.slice(toolName.indexOf('__') + 2) : toolName;
  return [toolName, own].some((name) => {
    const needle = name.toLowerCase();
    // The plain substring test first: a pattern is built only for the rare name the text contains (every step asks for every tool).
    return name.length > 2 && lower.includes(needle) && new RegExp(`(^|[^a-z0-9_])${escape(needle)}($|[^a-z0-9_])`).test(lower);
  });
}

/** Tools the text names come first, in their ranked order. */
function namedFirst(query: string, ranked: readonly ToolSpec[]): ToolSpec[] {
  const named = ranked.filter((t) => namedIn(query, t.name));
  return named.length ? [...named, ...ranked.filter((t) => !named.includes(t))] : [...ranked];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** BM25 over the tools' names and descriptions: rarer shared words count more, long descriptions less; ties keep their order. */
export function byKeywords(query: string, tools: readonly ToolSpec[]): ToolSpec[] {
  const wanted = new Set(words(query));
  const docs = tools.map((tool) => words(toolText(tool)));
  const average = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, docs.length);
  const frequency = new Map<string, number>();
  for (const doc of docs) for (const word of new Set(doc)) if (wanted.has(word)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const k1 = 1.2;
  const b = 0.75;
  const scored = tools.map((tool, i) => {
    const doc = docs[i]!;
    let score = 0;
    for (const word of wanted) {
      const df = frequency.get(word);
      if (!df) continue;
      const tf = doc.filter((w) => w === word).length;
      if (!tf) continue;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.length) / (average || 1)));
    }
    return { tool, score, i };
  });
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.tool);
}

const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'are', 'was', 'you', 'your', 'what', 'mcp', 'server', 'tool']);

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 2 && !STOP.has(w)).map(stem);
}

function stem(word: string): string {
  return word.length > 4 ? word.replace(/(ing|ed|es|s)$/, '') : word;
}
