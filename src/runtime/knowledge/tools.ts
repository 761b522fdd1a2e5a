// The agent's knowledge tools: `search_knowledge` (passages with numbered citations) and `read_document` (a range
// of a granted file). Both are `read` tools on the guarded path, so policy sees them and the audit log records them.
import { formatCitation, type KnowledgeCitation } from '../../common/index.ts';
import type { Tool, ToolContext } from '../tools/index.ts';
import type { KnowledgeBase, Scope } from './knowledge-base.ts';
import type { Passage } from './search.ts';

const source = { kind: 'builtin' } as const;
/** Citation numbers per run, so [n] means one passage for the whole answer. */
const MAX_TRACKED_RUNS = 200;

export interface KnowledgeToolsBackend {
  base: KnowledgeBase;
  scopeOf(runId: string): Scope;
  searchLimit: number;
}

export function knowledgeTools(backend: KnowledgeToolsBackend): Tool[] {
  const numbering = new Map<string, Map<number, number>>();
  const numberFor = (runId: string, passage: Passage): number => {
    let run = numbering.get(runId);
    if (!run) {
      if (numbering.size >= MAX_TRACKED_RUNS) numbering.delete(numbering.keys().next().value!);
      run = new Map();
      numbering.set(runId, run);
    }
    if (!run.has(passage.id)) run.set(passage.id, run.size + 1);
    return run.get(passage.id)!;
  };
  return [
    {
      name: 'search_knowledge',
      description:
        "Search the user's own documents and folders (PDF, Word, Markdown, code, …) for passages relevant to a question. Returns numbered passages; cite them in your answer as [n].",
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'what to look for, in words likely to appear in the documents' },
          source: { type: 'integer', description: 'only this knowledge source (its id)' },
          file: { type: 'string', description: 'only files whose path contains this text, e.g. a file name' },
          limit: { type: 'integer', minimum: 1, maximum: 20 },
        },
        required: ['query'],
      },
      capability: 'read',
      parallelSafe: true,
      source,
      run: async (args, context: ToolContext) => {
        const query = requiredText(args.query, 'query');
        const limit = typeof args.limit === 'number' ? Math.max(1, Math.min(20, Math.trunc(args.limit))) : backend.searchLimit;
        const filter = { ...(typeof args.source === 'number' ? { sourceIds: [args.source] } : {}), ...(typeof args.file === 'string' && args.file.trim() ? { file: args.file.trim() } : {}) };
        const result = await backend.base.search(query, backend.scopeOf(context.runId), filter, limit, context.signal);
        const note = result.mode === 'text' ? ` (text search only: ${result.unavailable ?? 'no embedding model'})` : '';
        if (!result.passages.length) return `No passages found${note}. Try other words, or read_document for a known file.`;
        const blocks = result.passages.map((p) => formatCitation(citationOf(numberFor(context.runId, p), p), p.text));
        return `Passages from the user's documents${note}. Cite them as [n] after the sentences they support.\n\n${blocks.join('\n\n')}`;
      },
    },
    {
      name: 'read_document',
      description: 'Read part of a file from the knowledge sources: pages of a PDF, or lines of a text or code file (file as shown by search_knowledge).',
      parameters: {
        type: 'object',
        properties: {
          file: { type: 'string', description: 'path as shown in a citation (relative to its source folder) or absolute' },
          page: { type: 'integer', minimum: 1, description: 'first page (PDF)' },
          page_end: { type: 'integer', minimum: 1 },
          line_start: { type: 'integer', minimum: 1, description: 'first line (text, code)' },
          line_end: { type: 'integer', minimum: 1 },
        },
        required: ['file'],
      },
      capability: 'read',
      parallelSafe: true,
      source,
      run: async (args, context: ToolContext) => {
        const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
        const range = { page: int(args.page), pageEnd: int(args.page_end), lineStart: int(args.line_start), lineEnd: int(args.line_end) };
        const wanted = Object.fromEntries(Object.entries(range).filter(([, v]) => v !== undefined));
        const { path, read } = await backend.base.read(requiredText(args.file, 'file'), wanted, backend.scopeOf(context.runId), context.signal);
        return `${path} (${read.range})${read.truncated ? ' — cut at 20,000 characters; read a smaller range for the rest' : ''}\n\n${read.text}`;
      },
    },
  ];
}

function citationOf(n: number, p: Passage): KnowledgeCitation {
  return {
    n,
    label: p.citation,
    file: p.path,
    ...(p.pageStart !== undefined ? { page: p.pageStart } : {}),
    ...(p.lineStart !== undefined ? { lineStart: p.lineStart, lineEnd: p.lineEnd ?? p.lineStart } : {}),
    ...(p.headings.length ? { headings: p.headings } : {}),
  };
}

function requiredText(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new Error(`${name} must be a non-empty string`);
  return value.trim();
}
