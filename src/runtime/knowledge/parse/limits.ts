// What one document may cost to parse, and the error that says which limit a file went past.
import type { KnowledgeConfig } from '../../config/index.ts';
import { UnreadableFileError } from './blocks.ts';

export interface ParseLimits {
  memoryMb: number;
  cpuSeconds: number;
  maxExpandedBytes: number;
  maxRatio: number;
  maxPages: number;
  maxParagraphs: number;
  maxChars: number;
}

const MB = 1024 * 1024;

export function parseLimits(config: KnowledgeConfig['parse']): ParseLimits {
  return {
    memoryMb: config.memory_mb,
    cpuSeconds: config.timeout_s,
    maxExpandedBytes: Math.round(config.max_expanded_mb * MB),
    maxRatio: config.max_ratio,
    maxPages: config.max_pages,
    maxParagraphs: config.max_paragraphs,
    maxChars: config.max_chars,
  };
}

/** Parsing `limits` allow for the largest file (the parser's wall clock). */
export function wallClockMs(limits: ParseLimits): number {
  return limits.cpuSeconds * 3_000 + 5_000;
}

/** A file past one of the parse limits: failed, with the limit's name and setting in the message. */
export class ParseLimitError extends UnreadableFileError {
  constructor(message: string) {
    super(`${message}; not tried again until the file changes`);
    this.name = 'ParseLimitError';
  }
}

/** Compressed data may expand this much regardless of the ratio (small, well-compressed parts are normal). */
export const RATIO_FLOOR_BYTES = MB;

export function mb(bytes: number): string {
  return bytes < MB ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${Math.round(bytes / MB)} MB`;
}
