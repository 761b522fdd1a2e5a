// What both conversation stores (the data dir's file, the team's PostgreSQL) offer; its own file, so the PostgreSQL
// one (loaded on demand) and the chooser do not import each other.
export interface ConversationStore {
  titles(): Promise<Record<string, string>>;
  removed(): Promise<Set<string>>;
  /** A title, or none (empty text). */
  rename(conversationId: string, title: string): Promise<void>;
  /** Off the list for good (its title goes too). */
  remove(conversationId: string): Promise<void>;
}
