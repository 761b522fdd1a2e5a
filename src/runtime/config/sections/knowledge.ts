import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const globs = z.array(z.string().min(1)).default([]);

/** A folder or file: a path alone, or with its own include/exclude globs (relative to the folder). */
const sourceSchema = z.union([
  z.string().min(1),
  z.strictObject({ path: z.string().min(1), include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() }),
]);

/** Limits of document parsing (in worker processes): a file past one is marked failed with the reason. */
const parseSchema = z.strictObject({
  /** Parser processes at most. */
  workers: z.int().min(1).max(8).default(2),
  /** V8 heap of a parser; its resident memory may exceed this by 256 MB (buffers) before it is stopped. */
  memory_mb: z.int().min(64).max(16384).default(512),
  /** CPU seconds one file may take (its wall clock: three times this, plus 5 s). */
  timeout_s: z.number().positive().max(3600).default(60),
  /** Bytes a file may unpack to: ZIP entries (DOCX, XLSX, PPTX, ODF, EPUB) and PDF streams, in total. */
  max_expanded_mb: z.number().positive().max(16384).default(200),
  /** How much one ZIP entry or PDF stream may expand (unpacked ÷ packed), once past 1 MB. */
  max_ratio: z.number().min(2).max(1_000_000).default(100),
  max_pages: z.int().min(1).default(5000),
  /** Paragraphs (blocks of text) of one file. */
  max_paragraphs: z.int().min(1).default(200_000),
  /** Characters of text one file may yield. */
  max_chars: z.int().min(1000).default(20_000_000),
});

export const knowledgeSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Folders or single files the agent may search and read (`search_knowledge`, `read_document`). */
  paths: z.array(sourceSchema).default([]),
  /** Globs a file must match (default: every file); relative to its source folder. */
  include: globs,
  /** Globs never indexed, on top of the built-in ones (.git, node_modules, …). */
  exclude: globs,
  /** Files larger than this are skipped with a reason. */
  max_file_mb: z.number().positive().max(2048).default(50),
  /** Target size of one passage, and the text it repeats from the previous one. */
  chunk_chars: z.int().min(200).max(8000).default(1200),
  overlap_chars: z.int().min(0).max(2000).default(150),
  /** Re-index folders when their files change. */
  watch: z.boolean().default(true),
  /**
   * Symlinks inside a source: `inside` follows those that lead to a file inside the same source (checked on the
   * opened file, so a link swapped in later cannot escape); `refuse` reads no symlink at all.
   */
  symlinks: z.enum(['inside', 'refuse']).default('inside'),
  parse: parseSchema.prefault({}),
  /** Passages `search_knowledge` returns. */
  search_limit: z.int().min(1).max(50).default(6),
});

export type KnowledgeConfig = z.output<typeof knowledgeSchema>;
export type KnowledgeSourceConfig = KnowledgeConfig['paths'][number];

/** Source paths made absolute: `~` is the home folder, relative paths are relative to the config file's folder. */
export function resolveKnowledge(section: KnowledgeConfig, baseDir: string): KnowledgeConfig {
  const absolute = (p: string) => (p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : path.resolve(baseDir, p));
  return { ...section, paths: section.paths.map((s) => (typeof s === 'string' ? absolute(s) : { ...s, path: absolute(s.path) })) };
}
