import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const globs = z.array(z.string().min(1)).default([]);

/** A folder or file: a path alone, or with its own include/exclude globs (relative to the folder). */
const sourceSchema = z.union([
  z.string().min(1),
  z.strictObject({ path: z.string().min(1), include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() }),
]);

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
