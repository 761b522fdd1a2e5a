// How a `starts_with` predicate reads a shell command: parsed with shell-quote (quotes and `\` escapes removed),
// split into every command of a sequence or pipeline (`;`, `&&`, `||`, `|`, `&`, newlines, `$(…)`, backticks,
// `sh -c "…"`), each with leading `VAR=value` assignments removed and the program reduced to its name
// (`/bin/rm` → `rm`). Wrappers (`env`, `sudo`, `nohup`, `command`, …) give a second reading without them, so
// `env sudo rm -rf /` is both a `sudo …` and an `rm -rf …` command.
import { parse, type ParseEntry } from 'shell-quote';

/** One simple command as words; `unreadable` when its program is not literal text (`$CMD`, a glob). */
export interface ParsedCommand {
  words: string[];
  unreadable?: boolean;
}

const SEPARATORS = new Set([';', '&&', '||', '|', '&', '|&', ';;', '(', ')', '<(', '>(']);
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'command', 'builtin', 'exec', 'nohup', 'nice', 'time', 'timeout', 'xargs', 'stdbuf', 'ionice', 'setsid', 'chroot', 'unbuffer']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'busybox']);
const MAX_DEPTH = 4;
/** Long options read as the short flag they stand for in most tools. */
const LONG_FLAGS: Record<string, string> = { '--recursive': 'r', '--force': 'f' };

/** Every simple command in `text`, each with its readings (itself, and without each leading wrapper). */
export function parseCommands(text: string, depth = 0): ParsedCommand[][] {
  const commands: ParsedCommand[][] = [];
  for (const line of text.split(/[\r\n]+/)) {
    if (depth < MAX_DEPTH) for (const [, inner = ''] of line.matchAll(/`([^`]*)`/g)) commands.push(...parseCommands(inner, depth + 1));
    let words: ParseEntry[] = [];
    for (const entry of [...parse(line, (name) => `$${name}`), { op: ';' } as ParseEntry]) {
      if (typeof entry === 'object' && 'op' in entry && SEPARATORS.has(entry.op)) {
        if (words.length) commands.push(...simple(words, depth));
        words = [];
      } else if (!(typeof entry === 'object' && 'comment' in entry)) words.push(entry);
    }
  }
  return commands;
}

function simple(entries: ParseEntry[], depth: number): ParsedCommand[][] {
  const words = entries.filter((e) => !(typeof e === 'object' && 'op' in e && e.op !== 'glob')).map((e) => (typeof e === 'string' ? e : 'pattern' in e ? e.pattern : ''));
  while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
  // `$` before `(`: shell-quote leaves it as a word of its own.
  while (words.length && words[0] === '$') words.shift();
  if (!words.length) return [];
  const nested: ParsedCommand[][] = [];
  const readings: ParsedCommand[] = [];
  let rest = words;
  for (let layer = 0; layer < MAX_DEPTH * 2 && rest.length; layer++) {
    const program = programName(rest[0]!);
    const reading: ParsedCommand = { words: [program, ...rest.slice(1)] };
    if (/[$`*?[]/.test(rest[0]!) || typeof entries[0] === 'object') reading.unreadable = true;
    readings.push(reading);
    if (SHELLS.has(program) && depth < MAX_DEPTH) {
      const script = rest.findIndex((word) => /^-[A-Za-z]*c[A-Za-z]*$/.test(word));
      if (script > 0 && rest[script + 1] !== undefined) nested.push(...parseCommands(rest[script + 1]!, depth + 1));
    }
    if (!WRAPPERS.has(program)) break;
    rest = skipWrapperOptions(program, rest.slice(1));
  }
  return [readings, ...nested];
}

/** `/usr/bin/rm` → `rm`, `\rm` → `rm`. */
function programName(word: string): string {
  return word.replace(/^\\+/, '').split('/').pop() ?? word;
}

/** Options and assignments between a wrapper and the command it runs (`env -i FOO=1 cmd`, `timeout 5 cmd`). */
function skipWrapperOptions(wrapper: string, words: string[]): string[] {
  let i = 0;
  while (i < words.length && (words[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))) {
    // Options with a separate value: `sudo -u root`, `nice -n 5`.
    if (/^-[ugCDhprtnk]$/.test(words[i]!) && wrapper !== 'env') i++;
    i++;
  }
  if (wrapper === 'timeout' && /^\d/.test(words[i] ?? '')) i++;
  return words.slice(i);
}

/**
 * Does `command` start like `prefix`? Programs must be equal; every flag letter of the prefix's short options must be
 * among the command's (in any order or grouping: `-rf`, `-fr`, `-r -f`); long options must appear; other words must
 * follow in order.
 */
export function startsLike(command: ParsedCommand, prefix: string): boolean {
  const wanted = parse(prefix).filter((w): w is string => typeof w === 'string');
  if (!wanted.length) return false;
  // Without a trailing space the last word may be partial, as in a plain text prefix (`rm` also covers `rmdir`).
  const partial = !/\s$/.test(prefix);
  const same = (word: string, want: string, last: boolean) => word === want || (partial && last && word.startsWith(want));
  const [program = '', ...rest] = command.words;
  if (!same(program, programName(wanted[0]!), wanted.length === 1)) return false;
  const flags = new Set<string>();
  const longs = new Set<string>();
  const positional: string[] = [];
  let ended = false;
  for (const word of rest) {
    if (!ended && word === '--') ended = true;
    else if (!ended && word.startsWith('--')) {
      longs.add(word.split('=')[0]!);
      const flag = LONG_FLAGS[word];
      if (flag) flags.add(flag);
    }
    else if (!ended && /^-[A-Za-z0-9]+$/.test(word)) for (const letter of word.slice(1)) flags.add(letter);
    else positional.push(word);
  }
  let next = 0;
  for (const [index, word] of wanted.slice(1).entries()) {
    const last = index === wanted.length - 2;
    if (word.startsWith('--')) {
      if (!longs.has(word.split('=')[0]!)) return false;
    } else if (/^-[A-Za-z0-9]+$/.test(word)) {
      if (![...word.slice(1)].every((letter) => flags.has(letter))) return false;
    } else {
      while (next < positional.length && !same(positional[next]!, word, last)) next++;
      if (next >= positional.length) return false;
      next++;
    }
  }
  return true;
}
