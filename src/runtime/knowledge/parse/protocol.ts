// Messages between the host and a document parser process (advanced serialization: bytes cross as they are).
import type { ChunkInput } from '../types.ts';
import type { Block } from './blocks.ts';
import type { Format } from './formats.ts';
import type { ParseLimits } from './limits.ts';

export interface ParseJob {
  format: Format;
  /** The file's name (tells office formats apart) — never opened by the parser. */
  name: string;
  bytes: Uint8Array;
  limits: ParseLimits;
  /** Cut into passages too (ingestion); without it the blocks come back (read_document). */
  chunk?: { chunkChars: number; overlapChars: number };
}

export interface ParseOutput {
  blocks?: Block[];
  chunks?: ChunkInput[];
  pages?: number;
}

/** Why a parse failed: `unreadable` (corrupt, encrypted, binary…), or a limit (`limit`, `memory`, `timeout`). */
export type ParseFailure = 'unreadable' | 'limit' | 'memory' | 'timeout' | 'crash';

export type ParseReply = { ok: true; output: ParseOutput } | { ok: false; kind: ParseFailure; message: string; skip?: boolean };

export type ToParser = { type: 'parse'; id: number; job: ParseJob };

export type FromParser =
  | { type: 'ready' }
  /** `ending`: the parser stops itself after this reply (memory or time past its limit: a fresh process follows). */
  | { type: 'done'; id: number; reply: ParseReply; ending: boolean };
