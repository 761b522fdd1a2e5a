// Ranks tools by relevance to a text: embedding similarity when the model provider can embed, else keywords.
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
    if (!this.model.embed) this.unavailable = 'the model provider cannot embed text';
    if (this.unavailable) return { tools: byKeywords(query, tools), ranking: 'keyword', fallback: this.unavailable };
    try {
      const scores = await this.similarities(query, tools, signal);
      const order = tools.map((tool, i) => ({ tool, score: scores[i]!, i })).sort((a, b) => b.score - a.score || a.i - b.i);
      return { tools: order.map((o) => o.tool), ranking: 'embedding' };
    } catch (error) {
      if (signal?.aborted) throw error;
      this.unavailable = `embedding failed: ${errorMessage(error)}`;
      return { tools: byKeywords(query, tools), ranking: 'keyword', fallback: this.unavailable };
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

/** Tools sharing more (rarer) words with the query first; ties keep their order. */
export function byKeywords(query: string, tools: readonly ToolSpec[]): ToolSpec[] {
  const wanted = new Set(words(query));
  const docs = tools.map((tool) => new Set(words(toolText(tool))));
  const frequency = (word: string) => docs.filter((doc) => doc.has(word)).length;
  const scored = tools.map((tool, i) => {
    let score = 0;
    for (const word of wanted) if (docs[i]!.has(word)) score += 1 / frequency(word);
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
