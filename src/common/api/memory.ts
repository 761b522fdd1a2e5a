// Memory: semantic notes with provenance, and past sessions with their episodic log.

export interface MemoryNote {
  id: string;
  text: string;
  /** Where the note came from: a run, a tool, the user. */
  provenance: { source: string; runId?: string; detail?: string };
  createdAt: string;
  /** Similarity to the search query, 0–1. */
  score?: number;
}

export interface MemorySession {
  id: string;
  title: string;
  startedAt: string;
  endedAt?: string;
  runIds: string[];
}

export interface EpisodeEntry {
  time: string;
  kind: string;
  text: string;
  runId?: string;
}

export interface MemoryApi {
  searchNotes(query: string, limit?: number): Promise<MemoryNote[]>;
  getNote(id: string): Promise<MemoryNote>;
  deleteNote(id: string): Promise<void>;
  sessions(): Promise<MemorySession[]>;
  episodes(sessionId: string): Promise<EpisodeEntry[]>;
}
