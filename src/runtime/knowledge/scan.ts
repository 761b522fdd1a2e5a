// The files of a source: a folder walked without following a symlink twice (loops end), filtered by include and
// exclude globs relative to the folder; links that lead outside the folder are not granted and are reported.
import fs from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { KnowledgeSource } from './types.ts';

/** Never indexed: version control, dependencies, caches. */
export const BUILTIN_EXCLUDE = ['**/.git/**', '**/.hg/**', '**/.svn/**', '**/node_modules/**', '**/__pycache__/**', '**/.venv/**', '**/.DS_Store'];

export interface ScanResult {
  files: string[];
  /** Entries that were not followed, with the reason (symlink loop, outside the folder, unreadable folder). */
  skipped: { path: string; reason: string }[];
}

export interface SourceFilter {
  accept(file: string): boolean;
  /** A folder whose every file is excluded (e.g. node_modules): not walked at all. */
  skipFolder(dir: string): boolean;
}

const PROBE = '__rein_probe__';

export function sourceFilter(source: Pick<KnowledgeSource, 'path' | 'kind' | 'include' | 'exclude'>, globalInclude: string[] = [], globalExclude: string[] = []): SourceFilter {
  if (source.kind === 'file') return { accept: (file) => file === source.path, skipFolder: () => true };
  const includes = source.include.length ? source.include : globalInclude;
  const include = includes.length ? picomatch(includes, { dot: true }) : () => true;
  const exclude = picomatch([...BUILTIN_EXCLUDE, ...globalExclude, ...source.exclude], { dot: true });
  const relativeOf = (file: string) => {
    const relative = path.relative(source.path, file);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  };
  return {
    accept: (file) => {
      const posix = relativeOf(file);
      return posix !== undefined && include(posix) && !exclude(posix);
    },
    skipFolder: (dir) => {
      const posix = relativeOf(dir);
      return posix === undefined || exclude(`${posix}/${PROBE}`);
    },
  };
}

/** `symlinks: refuse`: no symlink is followed (each is reported); `inside`: those leading inside the folder are. */
export async function scanSource(source: KnowledgeSource, filter: SourceFilter, symlinks: 'inside' | 'refuse' = 'inside'): Promise<ScanResult> {
  const accept = filter.accept;
  if (source.kind === 'file') return { files: [source.path], skipped: [] };
  const files: string[] = [];
  const skipped: ScanResult['skipped'] = [];
  const root = await fs.realpath(source.path);
  const seen = new Set<string>();
  const walk = async (dir: string, real: string): Promise<void> => {
    if (seen.has(real)) return void skipped.push({ path: dir, reason: 'symlink loop (folder already visited)' });
    seen.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      return void skipped.push({ path: dir, reason: `folder not readable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!filter.skipFolder(full)) await walk(full, path.join(real, entry.name));
      } else if (entry.isFile()) {
        if (accept(full)) files.push(full);
      } else if (entry.isSymbolicLink()) {
        await followLink(full);
      }
    }
  };
  const followLink = async (link: string) => {
    if (symlinks === 'refuse') {
      if (accept(link)) skipped.push({ path: link, reason: 'symlink, not followed (knowledge.symlinks: refuse)' });
      return;
    }
    let target: string;
    let stat;
    try {
      target = await fs.realpath(link);
      stat = await fs.stat(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (accept(link)) skipped.push({ path: link, reason: code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code ?? 'unreadable'})` });
      return;
    }
    if (target !== root && !target.startsWith(root + path.sep)) {
      if (accept(link)) skipped.push({ path: link, reason: `symlink to ${target}, outside the source folder (not granted)` });
      return;
    }
    if (stat.isDirectory()) {
      if (!filter.skipFolder(link)) await walk(link, target);
    }
    else if (stat.isFile() && accept(link)) files.push(link);
  };
  await walk(source.path, root);
  return { files, skipped };
}
