// The agent's memory tools. They go through the guarded tool path like every tool, so they are logged too.
import type { Tool, ToolContext } from '../tools/index.ts';
import type { Note } from './store.ts';

export interface MemoryToolsBackend {
  remember(content: string, context: ToolContext): Promise<Note>;
  recall(query: string, limit: number, context: ToolContext): Promise<Note[]>;
  forget(id: number, context: ToolContext): Promise<boolean>;
  readonly recallLimit: number;
}

const source = { kind: 'builtin' } as const;

export function memoryTools(backend: MemoryToolsBackend): Tool[] {
  return [
    {
      name: 'remember',
      description: 'Save a fact to long-term memory so later sessions can recall it. Use for durable facts, not for scratch work.',
      parameters: { type: 'object', properties: { content: { type: 'string', description: 'the fact, self-contained' } }, required: ['content'] },
      capability: 'write',
      source,
      run: async (args, context) => {
        const note = await backend.remember(requiredText(args.content, 'content'), context);
        return `Saved as note ${note.id}.`;
      },
    },
    {
      name: 'recall',
      description: 'Search long-term memory (facts saved earlier and summaries of past sessions).',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 20 } },
        required: ['query'],
      },
      capability: 'read',
      source,
      run: async (args, context) => {
        const limit = typeof args.limit === 'number' ? Math.max(1, Math.min(20, Math.trunc(args.limit))) : backend.recallLimit;
        const notes = await backend.recall(requiredText(args.query, 'query'), limit, context);
        if (!notes.length) return 'No notes found.';
        return notes.map((n) => `[note ${n.id}] (${n.kind}, ${n.createdAt.slice(0, 10)}) ${n.content}`).join('\n');
      },
    },
    {
      name: 'forget',
      description: 'Remove a note from long-term memory by its id (as shown by recall: [note 12] → 12).',
      parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      capability: 'write',
      source,
      run: async (args, context) => {
        const id = Number(args.id);
        if (!Number.isInteger(id)) throw new Error('id must be a note number, e.g. 12');
        if (!(await backend.forget(id, context))) throw new Error(`there is no note ${id}`);
        return `Note ${id} removed.`;
      },
    },
  ];
}

function requiredText(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new Error(`${name} must be a non-empty string`);
  return value.trim();
}
