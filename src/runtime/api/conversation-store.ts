// What the user decided about conversations — their titles and the removed ones: <dataDir>/conversations.json, or
// the `conversations` table of the team's PostgreSQL database when memory.episodic is postgres:// (the server code
// loads only then).
import fs from 'node:fs';
import path from 'node:path';
import type { StateConfig } from '../config/index.ts';
import type { ConversationStore } from './conversation-store-contract.ts';

export type { ConversationStore } from './conversation-store-contract.ts';

interface Stored {
  titles: Record<string, string>;
  removed: string[];
}

const servers = new Map<string, Promise<ConversationStore>>();

export function conversationStore(config: StateConfig): Promise<ConversationStore> {
  const url = config.memory.episodic;
  if (!url) return Promise.resolve(new FileConversations(config.dataDir));
  let store = servers.get(url);
  if (!store) {
    store = import('./pg-conversation-store.ts').then(({ PgConversations }) => PgConversations.open(url));
    store.catch(() => servers.delete(url));
    servers.set(url, store);
  }
  return store;
}

export class FileConversations implements ConversationStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'conversations.json');
  }

  private read(): Stored {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<Stored>;
      return { titles: parsed.titles ?? {}, removed: parsed.removed ?? [] };
    } catch {
      return { titles: {}, removed: [] }; // none yet (or unreadable: starting over loses titles only)
    }
  }

  async titles(): Promise<Record<string, string>> {
    return this.read().titles;
  }

  async removed(): Promise<Set<string>> {
    return new Set(this.read().removed);
  }

  async rename(conversationId: string, title: string): Promise<void> {
    this.update((s) => {
      if (title.trim()) s.titles[conversationId] = title.trim();
      else delete s.titles[conversationId];
    });
  }

  async remove(conversationId: string): Promise<void> {
    this.update((s) => {
      if (!s.removed.includes(conversationId)) s.removed.push(conversationId);
      delete s.titles[conversationId];
    });
  }

  private update(change: (stored: Stored) => void): void {
    const stored = this.read();
    change(stored);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(stored, null, 2)}\n`);
    fs.renameSync(temp, this.file);
  }
}
