// How a `glob` predicate reads a path argument: every file the tool could take it to mean.
// - `file://` URLs are converted; `%2F`-style escapes are decoded (both the raw and decoded spelling count);
// - control characters (a trailing newline) are removed (both spellings count), surrounding spaces trimmed;
// - `~` and `~/…` are the home folder; `\` is a separator;
// - a relative path is resolved against each base the tool's server resolves against (its cwd and its roots);
//   with no base known (an HTTP server), it stays relative — the predicate can then not be sure;
// - `.`/`..` are resolved, and then symlinks (`/proc/self/root/etc`, a link into a denied folder) through
//   the deepest part of the path that exists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_DEPTH = 4;
const MAX_PATH = 4096;

/** Every absolute path `value` can stand for; `undefined` when it is not a path at all. Arrays: every element. */
export function pathReadings(value: unknown, bases: readonly string[]): { paths: string[]; relative: boolean } | undefined {
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) && value.length && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  // Longer than any path the system opens (PATH_MAX): unreadable, and cheap to reject.
  if (!texts || texts.some((text) => text.length > MAX_PATH)) return undefined;
  const paths = new Set<string>();
  let relative = false;
  for (const text of texts) {
    for (const spelling of spellings(text)) {
      const expanded = expandHome(spelling.replaceAll('\\', '/'));
      if (path.posix.isAbsolute(expanded)) addResolved(paths, expanded);
      else if (bases.length) for (const base of bases) addResolved(paths, path.posix.join(base, expanded));
      else {
        relative = true;
        paths.add(path.posix.normalize(expanded));
      }
    }
  }
  return { paths: [...paths], relative };
}

/** The raw text, its percent-decoded and control-character-free forms, and a `file://` URL's path. */
function spellings(text: string): string[] {
  const out = new Set<string>([text]);
  let decoded = text;
  for (let i = 0; i < MAX_DEPTH && /%[0-9a-f]{2}/i.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
    out.add(decoded);
  }
  for (const spelling of [...out]) {
    const clean = spelling.replace(/\p{Cc}/gu, '').trim();
    out.add(clean);
    if (/^file:/i.test(clean)) {
      try {
        out.add(fileURLToPath(clean));
      } catch {
        out.add(clean.replace(/^file:\/*(localhost(?=\/))?/i, '/'));
      }
    }
  }
  return [...out].filter((s) => s && !/^file:/i.test(s));
}

function expandHome(text: string): string {
  if (text === '~') return os.homedir();
  if (text.startsWith('~/')) return path.posix.join(os.homedir(), text.slice(2));
  return text;
}

function addResolved(paths: Set<string>, absolute: string): void {
  const lexical = stripTrailingSlash(path.posix.normalize(absolute));
  paths.add(lexical);
  // The kernel follows a symlink before applying `..`: resolve the raw spelling when it exists, else the lexical one.
  for (const candidate of [absolute, lexical]) {
    const real = realPath(candidate);
    if (real) paths.add(real);
  }
}

/** The real path of `target`, resolving symlinks through its deepest existing ancestor. */
export function realPath(target: string): string | undefined {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.posix.join(fs.realpathSync.native(current), ...missing.reverse());
    } catch {
      const parent = path.posix.dirname(current);
      if (parent === current || current.includes('/../')) return undefined;
      missing.push(path.posix.basename(current));
      current = parent;
    }
  }
}

function stripTrailingSlash(text: string): string {
  return text.length > 1 ? text.replace(/\/+$/, '') : text;
}
