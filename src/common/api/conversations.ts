// Conversations as the user manages them: their own titles, removal, and search over titles, prompts and answers.

export interface ConversationMatch {
  conversationId: string;
  /** The run whose prompt or answer matched (the conversation's newest run for a title match). */
  runId: string;
  title: string;
  /** The matching text around the hit. */
  snippet: string;
}

export interface ConversationsApi {
  /** Titles the user gave, by conversation id. */
  titles(): Promise<Record<string, string>>;
  /** Sets (or, with an empty title, clears) a conversation's title. */
  rename(conversationId: string, title: string): Promise<void>;
  /**
   * Removes a conversation: it leaves the session list and its trace files are deleted. Its memory (the sessions'
   * episodic logs and the notes written in them) is kept, so what was learned stays recallable, unless `memory`.
   */
  remove(conversationId: string, options?: { memory?: boolean }): Promise<void>;
  /** Conversations whose title, prompts or answers contain the text (case-insensitive), newest first. */
  search(query: string): Promise<ConversationMatch[]>;
}
