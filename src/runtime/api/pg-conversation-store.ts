// Conversation titles and removals in the team's PostgreSQL database (kept open for the process: every API call
// reads them).
import { migrate, sharedPool, type SharedPool } from '../postgres/index.ts';
import type { ConversationStore } from './conversation-store-contract.ts';

const MIGRATIONS: readonly string[] = [
  'CREATE TABLE conversations (id TEXT PRIMARY KEY, title TEXT, removed BOOLEAN NOT NULL DEFAULT false)',
];

export class PgConversations implements ConversationStore {
  private readonly shared: SharedPool;

  private constructor(shared: SharedPool) {
    this.shared = shared;
  }

  static async open(url: string): Promise<PgConversations> {
    const shared = sharedPool(url);
    try {
      await migrate(shared.pool, 'conversations', MIGRATIONS, shared.where);
      return new PgConversations(shared);
    } catch (error) {
      await shared.release();
      throw error;
    }
  }

  async titles(): Promise<Record<string, string>> {
    const { rows } = await this.shared.pool.query<{ id: string; title: string }>('SELECT id, title FROM conversations WHERE title IS NOT NULL AND NOT removed');
    return Object.fromEntries(rows.map((row) => [row.id, row.title]));
  }

  async removed(): Promise<Set<string>> {
    return new Set((await this.shared.pool.query<{ id: string }>('SELECT id FROM conversations WHERE removed')).rows.map((row) => row.id));
  }

  async rename(conversationId: string, title: string): Promise<void> {
    await this.shared.pool.query(
      'INSERT INTO conversations (id, title) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET title = excluded.title',
      [conversationId, title.trim() || null],
    );
  }

  async remove(conversationId: string): Promise<void> {
    await this.shared.pool.query('INSERT INTO conversations (id, removed) VALUES ($1, true) ON CONFLICT (id) DO UPDATE SET removed = true, title = NULL', [conversationId]);
  }
}
